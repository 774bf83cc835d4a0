using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.Dicom;
using Ich.Dicom.Reading;
using Ich.Dicom.Series;

namespace Ich.Data.Rsna;

/// <summary>
/// RSNA 2019 on disk: a folder of <c>ID_&lt;hex&gt;.dcm</c> files (e.g. stage_2_train/) and a label file.
/// Every series with ordered slices is one scan (RSNA studies hold one series; ScanId =
/// StudyInstanceUID as the challenge groups its sequences, PatientId = PatientID); the known corrupt
/// image is skipped by name before parsing; labels are joined by SOPInstanceUID
/// (<see cref="RsnaDataset.AttachLabels"/>).
/// </summary>
public static class RsnaDicomDataset
{
    /// <summary>Label files looked for when none is given: in the folder, then beside it.</summary>
    public static readonly IReadOnlyList<string> DefaultLabelNames = ["stage_2_train.csv", "labels.csv"];

    public static IReadOnlyList<ScanRecord> Open(string folder, string? labelPath, LoadReport report, DicomDatasetOptions? options = null)
    {
        options ??= new DicomDatasetOptions();
        labelPath ??= FindLabels(folder);
        var labels = RsnaLabelFile.Read(labelPath).NotedIn(report).Items;
        // The label file itself is a companion (.csv) that the file walker skips.
        var files = new List<InputFile>();
        foreach (var f in DicomFolderDataset.ListInputs(folder, report))
        {
            if (RsnaDataset.IsKnownCorruptFile(f.DisplayPath))
                report.Skip(f.DisplayPath, Path.GetFileNameWithoutExtension(f.DisplayPath), "known corrupt RSNA image (truncated pixel data); not read");
            else files.Add(f);
        }
        var assembly = DicomFolderDataset.Assemble(files, report, options.Rules);
        var scans = new List<ScanRecord>();
        foreach (var series in assembly.AllSeries)
        {
            if (series.Slices.Count == 0)
            {
                report.Skip(series.Excluded.FirstOrDefault()?.Path, series.SeriesInstanceUid, "series has no slice that can be ordered");
                continue;
            }
            if (!series.Eligible)
                report.Note(series.Slices[0].Header.Path, series.StudyInstanceUid, $"used although the selection rule would not choose it: {series.IneligibleReason}");
            scans.Add(DicomFolderDataset.Build(series, options, ScanIdSource.StudyInstanceUid, DatasetKind.Rsna));
        }
        var duplicates = scans.GroupBy(s => s.ScanId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var d in duplicates)
            report.Note(null, d, "study has several series; each is a scan with the same ScanId");
        return RsnaDataset.AttachLabels(scans, labels, labelPath, report);
    }

    private static string FindLabels(string folder)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar));
        var candidates = DefaultLabelNames.Select(n => Path.Combine(folder, n))
            .Concat(parent is null ? [] : DefaultLabelNames.Select(n => Path.Combine(parent, n))).ToList();
        return candidates.FirstOrDefault(File.Exists)
               ?? throw new ConfigException($"no RSNA label file: give DatasetOptions.Labels, or put one of {string.Join(", ", DefaultLabelNames)} in or beside the folder (looked for {string.Join(", ", candidates)})", folder);
    }
}
