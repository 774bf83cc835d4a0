using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.Dicom;
using Ich.Dicom.Series;

namespace Ich.Data.Cq500;

/// <summary>
/// CQ500 on disk: study folders found by <see cref="Cq500Layout"/> and <c>reads.csv</c>. Each study's
/// files go through the series assembler; its selected series (the documented selection rule) is the
/// scan, with the majority reads as <see cref="ScanRecord.ScanLabels"/>. ScanId = PatientId =
/// "CQ500-CT-&lt;N&gt;" (one scan per patient). Studies without reads, reads without a folder and studies
/// without a usable series are reported and skipped.
/// </summary>
public static class Cq500Dataset
{
    public const string ReadsFile = "reads.csv";

    public static IReadOnlyList<ScanRecord> Open(string root, string? readsPath, LoadReport report, DicomDatasetOptions? options = null)
    {
        options ??= new DicomDatasetOptions();
        readsPath ??= Path.Combine(root, ReadsFile);
        var reads = Cq500ReadsFile.Read(readsPath).NotedIn(report).Items;
        var studies = Cq500Layout.FindStudies(root);
        var byNumber = reads.Values.ToDictionary(r => r.Number);
        foreach (var (n, read) in byNumber.OrderBy(p => p.Key))
            if (!studies.ContainsKey(n)) report.Skip(readsPath, read.Name, "reads row without a study folder", read.Line);
        var scans = new List<ScanRecord>();
        foreach (var (n, study) in studies.OrderBy(p => p.Key))
        {
            var name = $"CQ500-CT-{n}";
            if (!byNumber.TryGetValue(n, out var read))
            {
                report.Skip(study.Folder, name, $"study folder without a row in {ReadsFile}");
                continue;
            }
            var assembly = DicomFolderDataset.Assemble(DicomFolderDataset.ListInputs(study.Folder, report), report, options.Rules);
            var selected = assembly.Studies.Select(s => DicomFolderDataset.SelectedOrReport(s, report)).OfType<SeriesReport>().ToList();
            if (selected.Count == 0)
            {
                report.Skip(study.Folder, name, "no usable series in the study folder");
                continue;
            }
            if (selected.Count > 1)
                report.Note(study.Folder, name, $"{selected.Count} DICOM studies in one CQ500 folder; the one with the most slices is used");
            var best = selected.OrderByDescending(s => s.Slices.Count).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).First();
            var record = DicomFolderDataset.Build(best, options, ScanIdSource.SeriesInstanceUid, DatasetKind.Cq500);
            scans.Add(record with { PatientId = name, ScanId = name, ScanLabels = read.Labels });
        }
        return scans;
    }
}
