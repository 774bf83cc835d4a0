namespace Ich.Dicom.Model;

/// <summary>Tags the writer and the CT image builder need beyond the shared list.</summary>
public static partial class DicomTags
{
    public static readonly DicomTag InstanceCreationDate = new(0x0008, 0x0012);
    public static readonly DicomTag InstanceCreationTime = new(0x0008, 0x0013);
    public static readonly DicomTag SeriesDate = new(0x0008, 0x0021);
    public static readonly DicomTag ContentDate = new(0x0008, 0x0023);
    public static readonly DicomTag StudyTime = new(0x0008, 0x0030);
    public static readonly DicomTag SeriesTime = new(0x0008, 0x0031);
    public static readonly DicomTag ContentTime = new(0x0008, 0x0033);
    public static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);
    public static readonly DicomTag InstitutionName = new(0x0008, 0x0080);
    public static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);
    public static readonly DicomTag ManufacturerModelName = new(0x0008, 0x1090);
    public static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);
    public static readonly DicomTag PatientSex = new(0x0010, 0x0040);
    public static readonly DicomTag KVP = new(0x0018, 0x0060);
    public static readonly DicomTag ReconstructionDiameter = new(0x0018, 0x1100);
    public static readonly DicomTag XRayTubeCurrent = new(0x0018, 0x1151);
    public static readonly DicomTag PatientPosition = new(0x0018, 0x5100);
    public static readonly DicomTag PositionReferenceIndicator = new(0x0020, 0x1040);
}
