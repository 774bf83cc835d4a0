namespace Ich.Dicom.Model;

/// <summary>
/// Well-known tags used by this project. A partial class: each area adds the tags it needs in a file
/// of its own (DicomTags.*.cs) so that no two areas edit the same list.
/// </summary>
public static partial class DicomTags
{
    // File meta (group 0002)
    public static readonly DicomTag FileMetaInformationGroupLength = new(0x0002, 0x0000);
    public static readonly DicomTag FileMetaInformationVersion = new(0x0002, 0x0001);
    public static readonly DicomTag MediaStorageSOPClassUID = new(0x0002, 0x0002);
    public static readonly DicomTag MediaStorageSOPInstanceUID = new(0x0002, 0x0003);
    public static readonly DicomTag TransferSyntaxUID = new(0x0002, 0x0010);
    public static readonly DicomTag ImplementationClassUID = new(0x0002, 0x0012);
    public static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);

    // Identification
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    public static readonly DicomTag ImageType = new(0x0008, 0x0008);
    public static readonly DicomTag SOPClassUID = new(0x0008, 0x0016);
    public static readonly DicomTag SOPInstanceUID = new(0x0008, 0x0018);
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    public static readonly DicomTag Modality = new(0x0008, 0x0060);
    public static readonly DicomTag Manufacturer = new(0x0008, 0x0070);
    public static readonly DicomTag StudyDescription = new(0x0008, 0x1030);
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientID = new(0x0010, 0x0020);
    public static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);
    public static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    public static readonly DicomTag ConvolutionKernel = new(0x0018, 0x1210);
    public static readonly DicomTag GantryDetectorTilt = new(0x0018, 0x1120);
    public static readonly DicomTag StudyInstanceUID = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesInstanceUID = new(0x0020, 0x000E);
    public static readonly DicomTag StudyID = new(0x0020, 0x0010);
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);
    public static readonly DicomTag AcquisitionNumber = new(0x0020, 0x0012);
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    public static readonly DicomTag ImagePositionPatient = new(0x0020, 0x0032);
    public static readonly DicomTag ImageOrientationPatient = new(0x0020, 0x0037);
    public static readonly DicomTag FrameOfReferenceUID = new(0x0020, 0x0052);
    public static readonly DicomTag SliceLocation = new(0x0020, 0x1041);

    // Image pixel module
    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    public static readonly DicomTag PlanarConfiguration = new(0x0028, 0x0006);
    public static readonly DicomTag Rows = new(0x0028, 0x0010);
    public static readonly DicomTag Columns = new(0x0028, 0x0011);
    public static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);
    public static readonly DicomTag PixelPaddingValue = new(0x0028, 0x0120);
    public static readonly DicomTag WindowCenter = new(0x0028, 0x1050);
    public static readonly DicomTag WindowWidth = new(0x0028, 0x1051);
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);
    public static readonly DicomTag RescaleType = new(0x0028, 0x1054);
    public static readonly DicomTag ModalityLUTSequence = new(0x0028, 0x3000);
    public static readonly DicomTag LUTDescriptor = new(0x0028, 0x3002);
    public static readonly DicomTag LUTData = new(0x0028, 0x3006);
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    // Sequence delimitation (PS3.5 §7.5)
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);
}
