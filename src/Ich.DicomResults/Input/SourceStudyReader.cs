using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;

namespace Ich.DicomResults.Input;

/// <summary>
/// Builds the source part of a <see cref="StudyResultInput"/> from the analysed series' files (headers only):
/// the study identity from the first file, and one <see cref="SourceInstance"/> per file in the given order.
/// </summary>
public static class SourceStudyReader
{
    /// <param name="slicePaths">The series' files in slice order (index 0 = lowest), e.g. the SourcePath of each
    /// SliceRecord of the predicted ScanRecord.</param>
    /// <exception cref="ResultInputException">the files are not one series of one study, or lack a UID.</exception>
    public static (SourceStudyIdentity Study, SourceSeries Series) FromFiles(IReadOnlyList<string> slicePaths)
    {
        ArgumentNullException.ThrowIfNull(slicePaths);
        if (slicePaths.Count == 0) throw new ResultInputException("no source files");
        SourceStudyIdentity? study = null;
        string? seriesUid = null;
        var instances = new List<SourceInstance>(slicePaths.Count);
        foreach (var path in slicePaths)
        {
            var ds = DicomFileReader.Read(path, DicomReadOptions.Header).Dataset;
            study ??= SourceStudyIdentity.FromDataset(ds, path);
            if (ds.GetText(DicomTags.StudyInstanceUID) != study.StudyInstanceUid)
                throw new ResultInputException($"belongs to another study than {slicePaths[0]}", path);
            var series = ds.GetText(DicomTags.SeriesInstanceUID) ?? throw new ResultInputException("no SeriesInstanceUID", path);
            seriesUid ??= series;
            if (series != seriesUid) throw new ResultInputException($"belongs to another series than {slicePaths[0]}", path);
            instances.Add(new SourceInstance(
                ds.GetText(DicomTags.SOPClassUID) ?? throw new ResultInputException("no SOPClassUID", path),
                ds.GetText(DicomTags.SOPInstanceUID) ?? throw new ResultInputException("no SOPInstanceUID", path),
                ds.GetInt(DicomTags.InstanceNumber),
                NormalPosition(ds)));
        }
        return (study!, new SourceSeries(seriesUid!, instances));
    }

    /// <summary>ImagePositionPatient projected on the slice normal (row × column cosines), NaN when either is missing.</summary>
    private static double NormalPosition(DicomDataset ds)
    {
        var p = ds.GetNumbers(DicomTags.ImagePositionPatient);
        var o = ds.GetNumbers(DicomTags.ImageOrientationPatient);
        if (p.Length != 3 || o.Length != 6) return double.NaN;
        var n = (o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]);
        return p[0] * n.Item1 + p[1] * n.Item2 + p[2] * n.Item3;
    }
}
