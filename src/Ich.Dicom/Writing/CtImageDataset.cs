using Ich.Dicom.Model;

namespace Ich.Dicom.Writing;

/// <summary>How CT pixel values are stored: stored value × slope + intercept = HU.</summary>
/// <param name="BitsStored">12 or 16 (BitsAllocated is always 16).</param>
/// <param name="Signed">PixelRepresentation 1 (two's complement) when true.</param>
/// <param name="PixelPaddingValue">Written as (0028,0120) when set (stored-value units).</param>
public sealed record CtPixelEncoding(int BitsStored, bool Signed, double RescaleIntercept, double RescaleSlope = 1,
    int? PixelPaddingValue = null)
{
    /// <summary>Smallest and largest storable value.</summary>
    public int MinStored => Signed ? -(1 << (BitsStored - 1)) : 0;
    public int MaxStored => Signed ? (1 << (BitsStored - 1)) - 1 : (1 << BitsStored) - 1;

    /// <summary>The stored value for a HU value, rounded and clamped to the storable range.</summary>
    public short ToStored(float hu)
    {
        var v = (int)MathF.Round((float)((hu - RescaleIntercept) / RescaleSlope));
        return (short)Math.Clamp(v, MinStored, MaxStored);
    }
}

/// <summary>
/// Everything a single-frame CT Image (PS3.3 A.3) needs. Geometry in the patient coordinate system
/// (LPS, mm). <see cref="InstanceNumber"/> null writes the Type 2 element empty (as RSNA files lack it).
/// </summary>
public sealed record CtImageDescription
{
    public required string PatientId { get; init; }
    public required string PatientName { get; init; }
    public required string StudyInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public required string SopInstanceUid { get; init; }
    public required string FrameOfReferenceUid { get; init; }
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    /// <summary>Row spacing then column spacing, in mm.</summary>
    public required (double Row, double Column) PixelSpacing { get; init; }
    /// <summary>Centre of the first (top-left) pixel, mm.</summary>
    public required (double X, double Y, double Z) ImagePosition { get; init; }
    /// <summary>Row direction cosines then column direction cosines.</summary>
    public required double[] ImageOrientation { get; init; }
    public required double SliceThicknessMm { get; init; }
    public required CtPixelEncoding Encoding { get; init; }
    public double? GantryTiltDegrees { get; init; }
    public double? SliceLocation { get; init; }
    public int? InstanceNumber { get; init; }
    public int SeriesNumber { get; init; } = 1;
    public string StudyDate { get; init; } = "20200101";
    public string StudyTime { get; init; } = "120000";
    public string StudyId { get; init; } = "1";
    public string AccessionNumber { get; init; } = "";
    public string Manufacturer { get; init; } = "ich";
    public string ManufacturerModelName { get; init; } = "";
    public string SeriesDescription { get; init; } = "";
    public string StudyDescription { get; init; } = "";
    public string ConvolutionKernel { get; init; } = "";
    public double KvP { get; init; } = 120;
    /// <summary>Window centre/width values exactly as text (e.g. "00040" twice for the RSNA quirk).</summary>
    public string[] WindowCenter { get; init; } = ["40"];
    public string[] WindowWidth { get; init; } = ["80"];
}

/// <summary>Builds the dataset of a CT Image Storage instance from a description and stored pixel values.</summary>
public static class CtImageDataset
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    /// <param name="stored">Rows × Columns stored values, row-major (reinterpreted as unsigned when not signed).</param>
    public static DicomDataset Build(CtImageDescription d, ReadOnlySpan<short> stored)
    {
        if (stored.Length != d.Rows * d.Columns)
            throw new ArgumentException($"expected {d.Rows * d.Columns} pixels, got {stored.Length}", nameof(stored));
        if (d.ImageOrientation.Length != 6) throw new ArgumentException("ImageOrientation needs 6 values", nameof(d));
        var e = d.Encoding;
        if (e.BitsStored is < 12 or > 16) throw new ArgumentException("CT BitsStored must be 12..16", nameof(d));
        var (min, max) = MinMax(stored, e.Signed);
        if (min < e.MinStored || max > e.MaxStored)
            throw new ArgumentException($"stored values {min}..{max} exceed {e.BitsStored}-bit range", nameof(stored));

        var ds = new DicomDataset().With(
            DicomElements.Text(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100"),
            DicomElements.Text(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL"),
            DicomElements.Text(DicomTags.InstanceCreationDate, DicomVR.DA, d.StudyDate),
            DicomElements.Text(DicomTags.InstanceCreationTime, DicomVR.TM, d.StudyTime),
            DicomElements.Uid(DicomTags.SOPClassUID, CtImageStorage),
            DicomElements.Uid(DicomTags.SOPInstanceUID, d.SopInstanceUid),
            DicomElements.Text(DicomTags.StudyDate, DicomVR.DA, d.StudyDate),
            DicomElements.Text(DicomTags.SeriesDate, DicomVR.DA, d.StudyDate),
            DicomElements.Text(DicomTags.ContentDate, DicomVR.DA, d.StudyDate),
            DicomElements.Text(DicomTags.StudyTime, DicomVR.TM, d.StudyTime),
            DicomElements.Text(DicomTags.SeriesTime, DicomVR.TM, d.StudyTime),
            DicomElements.Text(DicomTags.ContentTime, DicomVR.TM, d.StudyTime),
            DicomElements.Text(DicomTags.AccessionNumber, DicomVR.SH, d.AccessionNumber),
            DicomElements.Text(DicomTags.Modality, DicomVR.CS, "CT"),
            DicomElements.Text(DicomTags.Manufacturer, DicomVR.LO, d.Manufacturer),
            DicomElements.Empty(DicomTags.ReferringPhysicianName, DicomVR.PN),
            DicomElements.Text(DicomTags.StudyDescription, DicomVR.LO, d.StudyDescription),
            DicomElements.Text(DicomTags.SeriesDescription, DicomVR.LO, d.SeriesDescription),
            DicomElements.Text(DicomTags.ManufacturerModelName, DicomVR.LO, d.ManufacturerModelName),
            DicomElements.Text(DicomTags.PatientName, DicomVR.PN, d.PatientName),
            DicomElements.Text(DicomTags.PatientID, DicomVR.LO, d.PatientId),
            DicomElements.Empty(DicomTags.PatientBirthDate, DicomVR.DA),
            DicomElements.Empty(DicomTags.PatientSex, DicomVR.CS),
            DicomElements.Text(DicomTags.BodyPartExamined, DicomVR.CS, "HEAD"),
            DicomElements.Decimal(DicomTags.SliceThickness, d.SliceThicknessMm),
            DicomElements.Decimal(DicomTags.KVP, d.KvP),
            DicomElements.Decimal(DicomTags.ReconstructionDiameter, d.PixelSpacing.Column * d.Columns),
            DicomElements.Decimal(DicomTags.GantryDetectorTilt, d.GantryTiltDegrees ?? 0),
            DicomElements.Text(DicomTags.ConvolutionKernel, DicomVR.SH, d.ConvolutionKernel),
            DicomElements.Text(DicomTags.PatientPosition, DicomVR.CS, "HFS"),
            DicomElements.Uid(DicomTags.StudyInstanceUID, d.StudyInstanceUid),
            DicomElements.Uid(DicomTags.SeriesInstanceUID, d.SeriesInstanceUid),
            DicomElements.Text(DicomTags.StudyID, DicomVR.SH, d.StudyId),
            DicomElements.Integer(DicomTags.SeriesNumber, d.SeriesNumber),
            DicomElements.Integer(DicomTags.AcquisitionNumber, 1),
            d.InstanceNumber is { } n ? DicomElements.Integer(DicomTags.InstanceNumber, n) : DicomElements.Empty(DicomTags.InstanceNumber, DicomVR.IS),
            DicomElements.Decimal(DicomTags.ImagePositionPatient, d.ImagePosition.X, d.ImagePosition.Y, d.ImagePosition.Z),
            DicomElements.Decimal(DicomTags.ImageOrientationPatient, d.ImageOrientation),
            DicomElements.Uid(DicomTags.FrameOfReferenceUID, d.FrameOfReferenceUid),
            DicomElements.Empty(DicomTags.PositionReferenceIndicator, DicomVR.LO),
            DicomElements.UInt16(DicomTags.SamplesPerPixel, 1),
            DicomElements.Text(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2"),
            DicomElements.UInt16(DicomTags.Rows, (ushort)d.Rows),
            DicomElements.UInt16(DicomTags.Columns, (ushort)d.Columns),
            DicomElements.Decimal(DicomTags.PixelSpacing, d.PixelSpacing.Row, d.PixelSpacing.Column),
            DicomElements.UInt16(DicomTags.BitsAllocated, 16),
            DicomElements.UInt16(DicomTags.BitsStored, (ushort)e.BitsStored),
            DicomElements.UInt16(DicomTags.HighBit, (ushort)(e.BitsStored - 1)),
            DicomElements.UInt16(DicomTags.PixelRepresentation, (ushort)(e.Signed ? 1 : 0)),
            DicomElements.Text(DicomTags.WindowCenter, DicomVR.DS, d.WindowCenter),
            DicomElements.Text(DicomTags.WindowWidth, DicomVR.DS, d.WindowWidth),
            DicomElements.Decimal(DicomTags.RescaleIntercept, e.RescaleIntercept),
            DicomElements.Decimal(DicomTags.RescaleSlope, e.RescaleSlope),
            DicomElements.Text(DicomTags.RescaleType, DicomVR.LO, "HU"),
            DicomElements.PixelData16(stored));
        if (d.SliceLocation is { } loc) ds.Set(DicomElements.Decimal(DicomTags.SliceLocation, loc));
        if (e.PixelPaddingValue is { } pad)
            ds.Set(e.Signed ? DicomElements.Int16(DicomTags.PixelPaddingValue, (short)pad)
                            : DicomElements.UInt16(DicomTags.PixelPaddingValue, (ushort)pad));
        return ds;
    }

    private static (int Min, int Max) MinMax(ReadOnlySpan<short> s, bool signed)
    {
        int min = int.MaxValue, max = int.MinValue;
        foreach (var v in s)
        {
            int x = signed ? v : (ushort)v;
            if (x < min) min = x;
            if (x > max) max = x;
        }
        return (min, max);
    }
}
