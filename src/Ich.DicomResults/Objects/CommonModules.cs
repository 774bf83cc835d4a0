using System.Globalization;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.DicomResults.Input;

namespace Ich.DicomResults.Objects;

/// <summary>The identity of one new result object: its class, UIDs, series and time.</summary>
internal sealed record NewInstance(string SopClassUid, string SopInstanceUid, string SeriesInstanceUid, int SeriesNumber,
    int InstanceNumber, string Modality, string SeriesDescription, DateTime CreatedAt);

/// <summary>
/// The modules every result object shares: Patient and General Study copied from the source
/// (<see cref="SourceStudyIdentity"/>), a new series, General Equipment naming the algorithm, and SOP Common.
/// </summary>
internal static class CommonModules
{
    public static DicomDataset Build(StudyResultInput input, NewInstance instance)
    {
        var date = instance.CreatedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time = instance.CreatedAt.ToString("HHmmss", CultureInfo.InvariantCulture);
        var ds = new DicomDataset();
        foreach (var e in input.Study.Elements()) ds.Set(e);
        return ds.With(
            DicomElements.Text(DicomTags.InstanceCreationDate, DicomVR.DA, date),
            DicomElements.Text(DicomTags.InstanceCreationTime, DicomVR.TM, time),
            DicomElements.Uid(DicomTags.SOPClassUID, instance.SopClassUid),
            DicomElements.Uid(DicomTags.SOPInstanceUID, instance.SopInstanceUid),
            DicomElements.Text(DicomTags.SeriesDate, DicomVR.DA, date),
            DicomElements.Text(DicomTags.SeriesTime, DicomVR.TM, time),
            DicomElements.Text(DicomTags.ContentDate, DicomVR.DA, date),
            DicomElements.Text(DicomTags.ContentTime, DicomVR.TM, time),
            DicomElements.Text(DicomTags.Modality, DicomVR.CS, instance.Modality),
            DicomElements.Text(DicomTags.Manufacturer, DicomVR.LO, input.Algorithm.Manufacturer),
            DicomElements.Text(DicomTags.SeriesDescription, DicomVR.LO, instance.SeriesDescription),
            DicomElements.Text(DicomTags.ManufacturerModelName, DicomVR.LO, input.Algorithm.Name),
            DicomElements.Text(DicomTags.SoftwareVersions, DicomVR.LO, input.Algorithm.Version),
            DicomElements.Uid(DicomTags.SeriesInstanceUID, instance.SeriesInstanceUid),
            DicomElements.Integer(DicomTags.SeriesNumber, instance.SeriesNumber),
            DicomElements.Integer(DicomTags.InstanceNumber, instance.InstanceNumber));
    }

    /// <summary>
    /// CurrentRequestedProcedureEvidenceSequence (or any Hierarchical SOP Instance Reference): the source
    /// study, its analysed series and the referenced instances, each once, in slice order.
    /// </summary>
    public static DicomElement Evidence(StudyResultInput input, IEnumerable<int> sliceIndices)
    {
        var references = sliceIndices.Distinct().Order()
            .Select(i => input.Series.Instances[i])
            .Select(s => SrContentItems.SopReference(s.SopClassUid, s.SopInstanceUid))
            .ToArray();
        var series = new DicomDataset().With(
            DicomElements.Uid(DicomTags.SeriesInstanceUID, input.Series.SeriesInstanceUid),
            DicomElements.Sequence(DicomTags.ReferencedSOPSequence, references));
        var study = new DicomDataset().With(
            DicomElements.Uid(DicomTags.StudyInstanceUID, input.Study.StudyInstanceUid),
            DicomElements.Sequence(DicomTags.ReferencedSeriesSequence, series));
        return DicomElements.Sequence(DicomTags.CurrentRequestedProcedureEvidenceSequence, study);
    }

    /// <summary>The SR Document Series / Key Object Document Series Type 2 sequence, present and empty.</summary>
    public static DicomElement NoPerformedProcedureStep() => DicomElements.Sequence(DicomTags.ReferencedPerformedProcedureStepSequence);
}
