using Ich.Dicom.Model;

namespace Ich.Dicom.Writing;

/// <summary>
/// Factories for Structured Report content items (PS3.3 C.17.3): each returns one item of a
/// ContentSequence with its RelationshipType, ValueType, concept name and value. Text values are
/// checked to be printable ASCII (<see cref="SrText"/>) except <see cref="Text"/>, whose multi-line
/// UT value allows CR/LF.
/// </summary>
public static class SrContentItems
{
    /// <summary>A CONTAINER with SEPARATE continuity and the given children.</summary>
    public static DicomDataset Container(string relationship, CodedConcept name, params DicomDataset[] children) =>
        Item(relationship, "CONTAINER", name).With(
            DicomElements.Text(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE"),
            DicomElements.Sequence(DicomTags.ContentSequence, children));

    /// <summary>A TEXT item (UT value; lines may be separated by CR LF).</summary>
    public static DicomDataset Text(string relationship, CodedConcept name, string value)
    {
        foreach (var c in value)
            if (c is not ('\r' or '\n') && c is < ' ' or > '~')
                throw new ArgumentException($"text item '{name.Meaning}' has a character outside ASCII", nameof(value));
        return Item(relationship, "TEXT", name).With(DicomElements.Text(DicomTags.TextValue, DicomVR.UT, value));
    }

    /// <summary>A CODE item whose value is <paramref name="value"/>.</summary>
    public static DicomDataset Code(string relationship, CodedConcept name, CodedConcept value) =>
        Item(relationship, "CODE", name).With(DicomElements.Sequence(DicomTags.ConceptCodeSequence, value.ToItem()));

    /// <summary>A NUM item with one measured value and its unit.</summary>
    public static DicomDataset Num(string relationship, CodedConcept name, double value, CodedConcept unit)
    {
        var measured = new DicomDataset().With(
            DicomElements.Sequence(DicomTags.MeasurementUnitsCodeSequence, unit.ToItem()),
            DicomElements.Decimal(DicomTags.NumericValue, value));
        return Item(relationship, "NUM", name).With(DicomElements.Sequence(DicomTags.MeasuredValueSequence, measured));
    }

    /// <summary>A UIDREF item.</summary>
    public static DicomDataset UidRef(string relationship, CodedConcept name, string uid) =>
        Item(relationship, "UIDREF", name).With(DicomElements.Uid(DicomTags.Uid, uid));

    /// <summary>An IMAGE item referencing one instance; <paramref name="name"/> may be null (as in TID 2010).</summary>
    public static DicomDataset Image(string relationship, CodedConcept? name, string sopClassUid, string sopInstanceUid) =>
        Item(relationship, "IMAGE", name).With(DicomElements.Sequence(DicomTags.ReferencedSOPSequence,
            SopReference(sopClassUid, sopInstanceUid)));

    /// <summary>A ReferencedSOPClassUID + ReferencedSOPInstanceUID item.</summary>
    public static DicomDataset SopReference(string sopClassUid, string sopInstanceUid) => new DicomDataset().With(
        DicomElements.Uid(DicomTags.ReferencedSOPClassUID, sopClassUid),
        DicomElements.Uid(DicomTags.ReferencedSOPInstanceUID, sopInstanceUid));

    /// <summary>A ContentTemplateSequence item naming a DCMR template (e.g. "1500").</summary>
    public static DicomDataset Template(string templateId) => new DicomDataset().With(
        DicomElements.Text(DicomTags.MappingResource, DicomVR.CS, "DCMR"),
        DicomElements.Text(DicomTags.TemplateIdentifier, DicomVR.CS, SrText.Ascii(templateId)));

    private static DicomDataset Item(string relationship, string valueType, CodedConcept? name)
    {
        var item = new DicomDataset().With(
            DicomElements.Text(DicomTags.RelationshipType, DicomVR.CS, SrText.Ascii(relationship)),
            DicomElements.Text(DicomTags.ValueType, DicomVR.CS, valueType));
        if (name is not null) item.Set(DicomElements.Sequence(DicomTags.ConceptNameCodeSequence, name.ToItem()));
        return item;
    }
}
