namespace Ich.Dicom.Model;

/// <summary>
/// Tags of the result objects (Structured Report, Key Object Selection, Secondary Capture): SR document
/// and content-item attributes, code sequences, references and the SC equipment/image modules.
/// </summary>
public static partial class DicomTags
{
    // Codes (PS3.3 §8.8, Code Sequence Macro) and the declaration of private coding schemes
    public static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    public static readonly DicomTag CodingSchemeDesignator = new(0x0008, 0x0102);
    public static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);
    public static readonly DicomTag MappingResource = new(0x0008, 0x0105);
    public static readonly DicomTag CodingSchemeUID = new(0x0008, 0x010C);
    public static readonly DicomTag CodingSchemeIdentificationSequence = new(0x0008, 0x0110);
    public static readonly DicomTag CodingSchemeName = new(0x0008, 0x0115);
    public static readonly DicomTag CodingSchemeResponsibleOrganization = new(0x0008, 0x0116);

    // References
    public static readonly DicomTag ReferencedPerformedProcedureStepSequence = new(0x0008, 0x1111);
    public static readonly DicomTag ReferencedSeriesSequence = new(0x0008, 0x1115);
    public static readonly DicomTag ReferencedSOPClassUID = new(0x0008, 0x1150);
    public static readonly DicomTag ReferencedSOPInstanceUID = new(0x0008, 0x1155);
    public static readonly DicomTag ReferencedSOPSequence = new(0x0008, 0x1199);
    public static readonly DicomTag SourceImageSequence = new(0x0008, 0x2112);
    public static readonly DicomTag DerivationDescription = new(0x0008, 0x2111);

    // Equipment and Secondary Capture
    public static readonly DicomTag ConversionType = new(0x0008, 0x0064);
    public static readonly DicomTag SoftwareVersions = new(0x0018, 0x1020);
    public static readonly DicomTag DateOfSecondaryCapture = new(0x0018, 0x1012);
    public static readonly DicomTag TimeOfSecondaryCapture = new(0x0018, 0x1014);
    public static readonly DicomTag PatientOrientation = new(0x0020, 0x0020);
    public static readonly DicomTag Laterality = new(0x0020, 0x0060);
    public static readonly DicomTag BurnedInAnnotation = new(0x0028, 0x0301);

    // SR document general and content (PS3.3 C.17)
    public static readonly DicomTag ObservationDateTime = new(0x0040, 0xA032);
    public static readonly DicomTag RelationshipType = new(0x0040, 0xA010);
    public static readonly DicomTag ValueType = new(0x0040, 0xA040);
    public static readonly DicomTag ConceptNameCodeSequence = new(0x0040, 0xA043);
    public static readonly DicomTag ContinuityOfContent = new(0x0040, 0xA050);
    public static readonly DicomTag Uid = new(0x0040, 0xA124);
    public static readonly DicomTag TextValue = new(0x0040, 0xA160);
    public static readonly DicomTag ConceptCodeSequence = new(0x0040, 0xA168);
    public static readonly DicomTag MeasuredValueSequence = new(0x0040, 0xA300);
    public static readonly DicomTag NumericValue = new(0x0040, 0xA30A);
    public static readonly DicomTag MeasurementUnitsCodeSequence = new(0x0040, 0x08EA);
    public static readonly DicomTag ReferencedRequestSequence = new(0x0040, 0xA370);
    public static readonly DicomTag PerformedProcedureCodeSequence = new(0x0040, 0xA372);
    public static readonly DicomTag CurrentRequestedProcedureEvidenceSequence = new(0x0040, 0xA375);
    public static readonly DicomTag CompletionFlag = new(0x0040, 0xA491);
    public static readonly DicomTag VerificationFlag = new(0x0040, 0xA493);
    public static readonly DicomTag ContentTemplateSequence = new(0x0040, 0xA504);
    public static readonly DicomTag ContentSequence = new(0x0040, 0xA730);
    public static readonly DicomTag TemplateIdentifier = new(0x0040, 0xDB00);
}
