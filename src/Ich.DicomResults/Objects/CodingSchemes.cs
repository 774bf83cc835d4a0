using Ich.Dicom.Model;
using Ich.Dicom.Writing;

namespace Ich.DicomResults.Objects;

/// <summary>Declares the private coding scheme in CodingSchemeIdentificationSequence (PS3.3 C.12.1.1.4).</summary>
internal static class CodingSchemes
{
    /// <summary>The scheme's UID: name-based and fixed, so every object declares the same scheme.</summary>
    public static readonly string PrivateSchemeUid = DicomUids.FromSeed(0, "ich coding scheme 99ICH");

    public static DicomElement PrivateSchemeDeclaration() => DicomElements.Sequence(DicomTags.CodingSchemeIdentificationSequence,
        new DicomDataset().With(
            DicomElements.Text(DicomTags.CodingSchemeDesignator, DicomVR.SH, ResultCodes.PrivateScheme),
            DicomElements.Uid(DicomTags.CodingSchemeUID, PrivateSchemeUid),
            DicomElements.Text(DicomTags.CodingSchemeName, DicomVR.ST, ResultCodes.PrivateSchemeName),
            DicomElements.Text(DicomTags.CodingSchemeResponsibleOrganization, DicomVR.ST, ResultCodes.PrivateSchemeOrganization)));
}
