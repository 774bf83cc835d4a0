using Ich.Core;
using Ich.Dicom.Writing;

namespace Ich.DicomResults.Objects;

/// <summary>
/// Every coded concept the result objects use (listed with their sources in docs/dicom-results.md).
/// DCM and SCT codes were checked against the PS3.16 concept table that Debian's pydicom ships
/// (pydicom/sr/_concepts_dict.py). The five subtypes have no SNOMED CT concept in that DICOM-mapped set,
/// so they use the private scheme <see cref="PrivateScheme"/>, declared in CodingSchemeIdentificationSequence.
/// </summary>
public static class ResultCodes
{
    /// <summary>Private coding scheme designator (PS3.3 §8.2: private designators begin with "99").</summary>
    public const string PrivateScheme = "99ICH";
    public const string PrivateSchemeName = "ich intracranial hemorrhage result codes";
    public const string PrivateSchemeOrganization = "ich project";

    // Document titles and structure (DCM)
    public static readonly CodedConcept ImagingMeasurementReport = new("126000", "DCM", "Imaging Measurement Report");
    public static readonly CodedConcept ImagingMeasurements = new("126010", "DCM", "Imaging Measurements");
    public static readonly CodedConcept MeasurementGroup = new("125007", "DCM", "Measurement Group");
    public static readonly CodedConcept ImageLibrary = new("111028", "DCM", "Image Library");
    public static readonly CodedConcept ImageLibraryGroup = new("126200", "DCM", "Image Library Group");
    public static readonly CodedConcept OfInterest = new("113000", "DCM", "Of Interest");
    public static readonly CodedConcept KeyObjectDescription = new("113012", "DCM", "Key Object Description");

    // Language, observer context, procedure (DCM, RFC5646, SCT)
    public static readonly CodedConcept LanguageOfContent = new("121049", "DCM", "Language of Content Item and Descendants");
    public static readonly CodedConcept EnglishUs = new("en-US", "RFC5646", "English (United States)");
    public static readonly CodedConcept ObserverType = new("121005", "DCM", "Observer Type");
    public static readonly CodedConcept Device = new("121007", "DCM", "Device");
    public static readonly CodedConcept DeviceObserverUid = new("121012", "DCM", "Device Observer UID");
    public static readonly CodedConcept DeviceObserverName = new("121013", "DCM", "Device Observer Name");
    public static readonly CodedConcept DeviceObserverManufacturer = new("121014", "DCM", "Device Observer Manufacturer");
    public static readonly CodedConcept DeviceObserverModelName = new("121015", "DCM", "Device Observer Model Name");
    public static readonly CodedConcept ProcedureReported = new("121058", "DCM", "Procedure reported");
    public static readonly CodedConcept CtOfHead = new("303653007", "SCT", "Computed tomography of head");

    // Measurement group content (DCM, SCT, UCUM)
    public static readonly CodedConcept TrackingIdentifier = new("112039", "DCM", "Tracking Identifier");
    public static readonly CodedConcept TrackingUniqueIdentifier = new("112040", "DCM", "Tracking Unique Identifier");
    public static readonly CodedConcept Finding = new("121071", "DCM", "Finding");
    public static readonly CodedConcept AlgorithmName = new("111001", "DCM", "Algorithm Name");
    public static readonly CodedConcept AlgorithmVersion = new("111003", "DCM", "Algorithm Version");
    public static readonly CodedConcept AlgorithmParameters = new("111002", "DCM", "Algorithm Parameters");
    public static readonly CodedConcept Probability = new("122157", "DCM", "Probability");
    public static readonly CodedConcept NoUnits = new("1", "UCUM", "no units");
    public static readonly CodedConcept SourceOfMeasurement = new("121112", "DCM", "Source of Measurement");
    public static readonly CodedConcept Present = new("52101004", "SCT", "Present");
    public static readonly CodedConcept Absent = new("272519000", "SCT", "Absent");
    public static readonly CodedConcept Comment = new("121106", "DCM", "Comment");

    /// <summary>The finding code of each class, in <see cref="HemorrhageClasses"/> order.</summary>
    public static readonly IReadOnlyList<CodedConcept> ClassFindings =
    [
        new("1386000", "SCT", "Intracranial hemorrhage"),
        new("ICH-EDH", PrivateScheme, "Epidural hemorrhage"),
        new("ICH-IPH", PrivateScheme, "Intraparenchymal hemorrhage"),
        new("ICH-IVH", PrivateScheme, "Intraventricular hemorrhage"),
        new("ICH-SAH", PrivateScheme, "Subarachnoid hemorrhage"),
        new("ICH-SDH", PrivateScheme, "Subdural hemorrhage"),
    ];

    /// <summary>The finding code of a class name.</summary>
    public static CodedConcept ForClass(string className) => ClassFindings[HemorrhageClasses.IndexOf(className)];
}
