using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.DicomResults.Input;

namespace Ich.DicomResults.Objects;

/// <summary>
/// The Key Object Selection document (PS3.3 A.35.4, TID 2010) that flags the key slices of the source
/// series: title "Of Interest", a description naming the algorithm and the disclaimer, one IMAGE per slice.
/// </summary>
internal static class KeyObjectSelectionBuilder
{
    public const string KeyObjectSelectionStorage = "1.2.840.10008.5.1.4.1.1.88.59";

    /// <param name="keySlices">Indices of the flagged slices; at least one (TID 2010 needs an image).</param>
    public static DicomDataset Build(StudyResultInput input, NewInstance instance, IReadOnlyList<int> keySlices)
    {
        if (keySlices.Count == 0) throw new ArgumentException("a KOS needs at least one key slice", nameof(keySlices));
        var description = $"Slices flagged by {input.Algorithm.Name} {input.Algorithm.Version}. {input.Disclaimer}";
        var content = new List<DicomDataset> { SrContentItems.Text("CONTAINS", ResultCodes.KeyObjectDescription, description) };
        foreach (var i in keySlices)
        {
            var s = input.Series.Instances[i];
            content.Add(SrContentItems.Image("CONTAINS", null, s.SopClassUid, s.SopInstanceUid));
        }
        return CommonModules.Build(input, instance).With(
            CommonModules.NoPerformedProcedureStep(),
            CommonModules.Evidence(input, keySlices),
            DicomElements.Text(DicomTags.ValueType, DicomVR.CS, "CONTAINER"),
            DicomElements.Sequence(DicomTags.ConceptNameCodeSequence, ResultCodes.OfInterest.ToItem()),
            DicomElements.Text(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE"),
            DicomElements.Sequence(DicomTags.ContentTemplateSequence, SrContentItems.Template("2010")),
            DicomElements.Sequence(DicomTags.ContentSequence, content.ToArray()));
    }
}
