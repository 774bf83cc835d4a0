using System.Globalization;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.DicomResults.Input;
using Ich.DicomResults.Rendering;

namespace Ich.DicomResults.Objects;

/// <summary>
/// A Secondary Capture Image (PS3.3 A.8.1) of one slice with the heat map, legend and warning burned in:
/// 8-bit RGB, BurnedInAnnotation YES, ConversionType WSD (workstation), the source slice in SourceImageSequence.
/// </summary>
internal static class SecondaryCaptureBuilder
{
    public const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";

    public static DicomDataset Build(StudyResultInput input, NewInstance instance, SliceImage slice)
    {
        var source = input.Series.Instances[slice.SliceIndex];
        var label = $"slice {slice.SliceIndex + 1}/{input.Series.Instances.Count}"
                    + (double.IsFinite(source.ZMm) ? $"  z={source.ZMm.ToString("0.0", CultureInfo.InvariantCulture)} mm" : "");
        var image = CaptureRenderer.Render(slice, label);
        var date = instance.CreatedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time = instance.CreatedAt.ToString("HHmmss", CultureInfo.InvariantCulture);
        return CommonModules.Build(input, instance).With(
            DicomElements.Text(DicomTags.ConversionType, DicomVR.CS, "WSD"),
            DicomElements.Text(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY"),
            DicomElements.Empty(DicomTags.PatientOrientation, DicomVR.CS),
            // Naming the (unpaired) body part tells validators why General Series Laterality (Type 2C) is absent.
            DicomElements.Text(DicomTags.BodyPartExamined, DicomVR.CS, "HEAD"),
            DicomElements.Text(DicomTags.DateOfSecondaryCapture, DicomVR.DA, date),
            DicomElements.Text(DicomTags.TimeOfSecondaryCapture, DicomVR.TM, time),
            DicomElements.Text(DicomTags.DerivationDescription, DicomVR.ST,
                "Brain window 40/80 with saliency heat map (jet, absolute 0..1 scale), legend and warning burned in"),
            DicomElements.Sequence(DicomTags.SourceImageSequence, SrContentItems.SopReference(source.SopClassUid, source.SopInstanceUid)),
            DicomElements.UInt16(DicomTags.SamplesPerPixel, 3),
            DicomElements.Text(DicomTags.PhotometricInterpretation, DicomVR.CS, "RGB"),
            DicomElements.UInt16(DicomTags.PlanarConfiguration, 0),
            DicomElements.UInt16(DicomTags.Rows, (ushort)image.Height),
            DicomElements.UInt16(DicomTags.Columns, (ushort)image.Width),
            DicomElements.UInt16(DicomTags.BitsAllocated, 8),
            DicomElements.UInt16(DicomTags.BitsStored, 8),
            DicomElements.UInt16(DicomTags.HighBit, 7),
            DicomElements.UInt16(DicomTags.PixelRepresentation, 0),
            DicomElements.Text(DicomTags.BurnedInAnnotation, DicomVR.CS, "YES"),
            DicomElements.Bytes(DicomTags.PixelData, DicomVR.OB, image.Rgb));
    }
}
