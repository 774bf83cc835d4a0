namespace Ich.Dicom.Model;

/// <summary>Tags used by series assembly and HU conversion (Ich.Dicom.Series, Ich.Dicom.Hu).</summary>
public static partial class DicomTags
{
    public static readonly DicomTag SpacingBetweenSlices = new(0x0018, 0x0088);
}
