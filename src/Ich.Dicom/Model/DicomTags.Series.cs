namespace Ich.Dicom.Model;

/// <summary>Tags used by series assembly and HU conversion (Ich.Dicom.Series, Ich.Dicom.Hu).</summary>
public static partial class DicomTags
{
    public static readonly DicomTag StudyID = new(0x0020, 0x0010);
    public static readonly DicomTag AcquisitionNumber = new(0x0020, 0x0012);
    public static readonly DicomTag SpacingBetweenSlices = new(0x0018, 0x0088);
}
