using System.Globalization;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;

namespace Ich.Synth.Output;

/// <summary>Turns a rendered slab into a CT Image dataset with the scan's real-world encoding quirks.</summary>
public static class PhantomDicom
{
    /// <summary>The storage encoding of a scan's <see cref="PixelEncodingKind"/>.</summary>
    public static CtPixelEncoding EncodingOf(PixelEncodingKind kind) => kind switch
    {
        PixelEncodingKind.RsnaUnsigned12 => new CtPixelEncoding(12, false, -1024),
        PixelEncodingKind.RsnaSignedPadded => new CtPixelEncoding(16, true, -1024),
        PixelEncodingKind.ModernSigned => new CtPixelEncoding(16, true, 0, 1, PixelPaddingValue: -2000),
        PixelEncodingKind.ModernUnsigned16 => new CtPixelEncoding(16, false, -1024),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Stored value outside the field of view (RSNA's −2000 padding, or the modern PixelPaddingValue).</summary>
    public static short OutsideFovStored(PixelEncodingKind kind) => kind switch
    {
        PixelEncodingKind.RsnaSignedPadded or PixelEncodingKind.ModernSigned => -2000,
        _ => 0,
    };

    /// <summary>Stored pixel values of a slab (HU rounded and clamped; padding outside the FOV).</summary>
    public static short[] Store(ScanPlan plan, float[] hu, bool[] inside)
    {
        var encoding = EncodingOf(plan.Encoding);
        var padding = OutsideFovStored(plan.Encoding);
        var stored = new short[hu.Length];
        for (var i = 0; i < hu.Length; i++) stored[i] = inside[i] ? encoding.ToStored(hu[i]) : padding;
        return stored;
    }

    public static DicomDataset Build(ScanPlan plan, int k, short[] stored)
    {
        var (row, col, _) = plan.Directions();
        var ipp = plan.ImagePosition(k);
        var rsna = plan.Encoding is PixelEncodingKind.RsnaUnsigned12 or PixelEncodingKind.RsnaSignedPadded;
        var description = new CtImageDescription
        {
            PatientId = plan.PatientId,
            PatientName = "Phantom^" + plan.PatientId,
            StudyInstanceUid = plan.StudyUid,
            SeriesInstanceUid = plan.SeriesUid,
            SopInstanceUid = plan.SopUids[k],
            FrameOfReferenceUid = plan.FrameOfReferenceUid,
            Rows = plan.Size,
            Columns = plan.Size,
            PixelSpacing = (plan.PixelSpacingMm, plan.PixelSpacingMm),
            ImagePosition = (Math.Round(ipp.X, 4), Math.Round(ipp.Y, 4), Math.Round(ipp.Z, 4)),
            ImageOrientation = [row.X, row.Y, row.Z, Math.Round(col.X, 6), Math.Round(col.Y, 6), Math.Round(col.Z, 6)],
            SliceThicknessMm = plan.ThicknessMm,
            GantryTiltDegrees = plan.TiltDegrees,
            SliceLocation = Math.Round(plan.SliceZ[k], 4),
            InstanceNumber = rsna ? null : k + 1,
            Encoding = EncodingOf(plan.Encoding),
            StudyDate = plan.StudyDate,
            StudyTime = "1" + (plan.Index % 100000).ToString("D5", CultureInfo.InvariantCulture),
            StudyId = (plan.Index + 1).ToString(CultureInfo.InvariantCulture),
            Manufacturer = plan.Manufacturer,
            ManufacturerModelName = "ich phantom",
            StudyDescription = "HEAD WO CONTRAST (synthetic phantom)",
            SeriesDescription = $"Phantom head {plan.ThicknessMm.ToString(CultureInfo.InvariantCulture)}mm",
            ConvolutionKernel = plan.KernelName,
            WindowCenter = rsna ? ["00040", "00040"] : ["40"],
            WindowWidth = rsna ? ["00080", "00080"] : ["80"],
        };
        return CtImageDataset.Build(description, stored);
    }
}
