using Ich.Core;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.DicomResults.Input;

namespace Ich.DicomResults.Objects;

/// <summary>
/// The Comprehensive SR (PS3.3 A.35.3) of one study, following TID 1500 Measurement Report: language,
/// device observer (TID 1002), procedure reported, an Image Library of the referenced slices, one
/// Measurement Group (TID 1501) per class with tracking identifiers, the finding code, Algorithm
/// Identification (TID 4019), the scan probability as NUM (UCUM "1") inferred from its top slices, and
/// the present/absent decision as CODE; the intended-use disclaimer as a TEXT comment.
/// </summary>
internal static class MeasurementReportBuilder
{
    public const string ComprehensiveSrStorage = "1.2.840.10008.5.1.4.1.1.88.33";
    private const string Contains = "CONTAINS";
    private const string ConceptModifier = "HAS CONCEPT MOD";
    private const string ObservationContext = "HAS OBS CONTEXT";
    private const string InferredFrom = "INFERRED FROM";

    public static DicomDataset Build(StudyResultInput input, NewInstance instance)
    {
        var findings = input.Findings.OrderBy(f => HemorrhageClasses.IndexOf(f.ClassName)).ToArray();
        var referenced = findings.SelectMany(f => f.TopSliceIndices).Distinct().Order().ToArray();
        var a = input.Algorithm;

        var content = new List<DicomDataset>
        {
            SrContentItems.Code(ConceptModifier, ResultCodes.LanguageOfContent, ResultCodes.EnglishUs),
            SrContentItems.Code(ObservationContext, ResultCodes.ObserverType, ResultCodes.Device),
            SrContentItems.UidRef(ObservationContext, ResultCodes.DeviceObserverUid, DeviceUid(a)),
            SrContentItems.Text(ObservationContext, ResultCodes.DeviceObserverName, a.Name),
            SrContentItems.Text(ObservationContext, ResultCodes.DeviceObserverManufacturer, a.Manufacturer),
            SrContentItems.Text(ObservationContext, ResultCodes.DeviceObserverModelName, a.Name),
            SrContentItems.Code(ConceptModifier, ResultCodes.ProcedureReported, ResultCodes.CtOfHead),
        };
        if (referenced.Length > 0)
        {
            var images = referenced.Select(i => Image(input, i, null)).ToArray();
            content.Add(SrContentItems.Container(Contains, ResultCodes.ImageLibrary,
                SrContentItems.Container(Contains, ResultCodes.ImageLibraryGroup, images)));
        }
        content.Add(SrContentItems.Container(Contains, ResultCodes.ImagingMeasurements,
            findings.Select(f => MeasurementGroup(input, f)).ToArray()));
        content.Add(SrContentItems.Text(Contains, ResultCodes.Comment, input.Disclaimer));

        var root = CommonModules.Build(input, instance).With(
            CommonModules.NoPerformedProcedureStep(),
            DicomElements.Text(DicomTags.ValueType, DicomVR.CS, "CONTAINER"),
            DicomElements.Sequence(DicomTags.ConceptNameCodeSequence, ResultCodes.ImagingMeasurementReport.ToItem()),
            DicomElements.Text(DicomTags.ContinuityOfContent, DicomVR.CS, "SEPARATE"),
            DicomElements.Sequence(DicomTags.ContentTemplateSequence, SrContentItems.Template("1500")),
            DicomElements.Text(DicomTags.CompletionFlag, DicomVR.CS, "COMPLETE"),
            DicomElements.Text(DicomTags.VerificationFlag, DicomVR.CS, "UNVERIFIED"),
            DicomElements.Sequence(DicomTags.PerformedProcedureCodeSequence),
            DicomElements.Sequence(DicomTags.ContentSequence, content.ToArray()),
            CodingSchemes.PrivateSchemeDeclaration());
        if (referenced.Length > 0) root.Set(CommonModules.Evidence(input, referenced));
        return root;
    }

    /// <summary>
    /// The device observer UID: name-based on the algorithm name and version, so every report of the same
    /// model names the same device.
    /// </summary>
    public static string DeviceUid(AlgorithmInfo a) => DicomUids.FromSeed(0, $"ich device|{a.Manufacturer}|{a.Name}|{a.Version}");

    private static DicomDataset MeasurementGroup(StudyResultInput input, ClassFinding f)
    {
        var a = input.Algorithm;
        var code = ResultCodes.ForClass(f.ClassName);
        var probability = SrContentItems.Num(Contains, ResultCodes.Probability, f.Probability, ResultCodes.NoUnits);
        if (f.TopSliceIndices.Count > 0)
            probability.Set(DicomElements.Sequence(DicomTags.ContentSequence,
                f.TopSliceIndices.Select(i => Image(input, i, ResultCodes.SourceOfMeasurement, InferredFrom)).ToArray()));
        var items = new List<DicomDataset>
        {
            SrContentItems.Text(ObservationContext, ResultCodes.TrackingIdentifier, $"ich {f.ClassName.ToLowerInvariant()}"),
            SrContentItems.UidRef(ObservationContext, ResultCodes.TrackingUniqueIdentifier, DicomUids.NewRandom()),
            SrContentItems.Code(Contains, ResultCodes.Finding, code),
            SrContentItems.Text(ConceptModifier, ResultCodes.AlgorithmName, a.Name),
            SrContentItems.Text(ConceptModifier, ResultCodes.AlgorithmVersion, a.Version),
        };
        items.AddRange(a.Parameters.Select(p => SrContentItems.Text(ConceptModifier, ResultCodes.AlgorithmParameters, p)));
        items.Add(SrContentItems.Text(ConceptModifier, ResultCodes.AlgorithmParameters, f.Threshold is { } t
            ? $"operating point {f.ClassName.ToLowerInvariant()}: present when probability >= {DicomElements.FormatDecimal(t)}"
            : $"operating point {f.ClassName.ToLowerInvariant()}: none (probability only, never flagged)"));
        items.Add(probability);
        // Without an operating point the model makes no present/absent claim for this class.
        if (f.Threshold is not null) items.Add(SrContentItems.Code(Contains, code, f.Present ? ResultCodes.Present : ResultCodes.Absent));
        return SrContentItems.Container(Contains, ResultCodes.MeasurementGroup, items.ToArray());
    }

    private static DicomDataset Image(StudyResultInput input, int sliceIndex, CodedConcept? purpose, string relationship = Contains)
    {
        var s = input.Series.Instances[sliceIndex];
        return SrContentItems.Image(relationship, purpose, s.SopClassUid, s.SopInstanceUid);
    }
}
