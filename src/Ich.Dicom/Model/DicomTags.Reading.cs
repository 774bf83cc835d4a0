namespace Ich.Dicom.Model;

/// <summary>Tags the Part 10 reader and the pixel decoder need beyond the shared list.</summary>
public static partial class DicomTags
{
    public static readonly DicomTag PixelPaddingRangeLimit = new(0x0028, 0x0121);
    public static readonly DicomTag PixelValueTransformationSequence = new(0x0028, 0x9145);
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x5200, 0x9229);
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x5200, 0x9230);
    public static readonly DicomTag ExtendedOffsetTable = new(0x7FE0, 0x0001);
    /// <summary>Float Pixel Data: the first element a header-only read stops at (with Double Float and Pixel Data after it).</summary>
    public static readonly DicomTag FloatPixelData = new(0x7FE0, 0x0008);
}
