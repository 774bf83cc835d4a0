namespace Ich.Dicom.Model;

/// <summary>Tags the Part 10 reader and the pixel decoder need beyond the shared list.</summary>
public static partial class DicomTags
{
    public static readonly DicomTag LengthToEnd = new(0x0008, 0x0001);
    public static readonly DicomTag NumberOfFramesRetiredPointer = new(0x0028, 0x0009);
    public static readonly DicomTag SmallestImagePixelValue = new(0x0028, 0x0106);
    public static readonly DicomTag LargestImagePixelValue = new(0x0028, 0x0107);
    public static readonly DicomTag PixelPaddingRangeLimit = new(0x0028, 0x0121);
    public static readonly DicomTag ModalityLUTType = new(0x0028, 0x3004);
    public static readonly DicomTag PixelValueTransformationSequence = new(0x0028, 0x9145);
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x5200, 0x9229);
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x5200, 0x9230);
    public static readonly DicomTag ExtendedOffsetTable = new(0x7FE0, 0x0001);
    public static readonly DicomTag ExtendedOffsetTableLengths = new(0x7FE0, 0x0002);
    public static readonly DicomTag FloatPixelData = new(0x7FE0, 0x0008);
    public static readonly DicomTag DoubleFloatPixelData = new(0x7FE0, 0x0009);
    public static readonly DicomTag DataSetTrailingPadding = new(0xFFFC, 0xFFFC);
}
