using System.Globalization;
using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Core.Text;
using Ich.Data.Catalog;
using Ich.Data.Dicom;
using Ich.Data.Rsna;
using Ich.Dicom.Series;

namespace Ich.Data.Phantom;

/// <summary>
/// The project's own phantoms, as <c>ich synth</c> writes them: <c>&lt;scan_id&gt;/*.dcm</c> (one series per
/// scan), <c>labels.csv</c> in the RSNA long layout (<c>ID_&lt;SOPInstanceUID&gt;_&lt;subtype&gt;,Label</c>) and
/// <c>scans.csv</c> (<c>scan_id, patient_id, study_uid, series_uid, slices, ...</c>). The DICOM goes
/// through the same series assembler as real data; ScanId = scan_id, PatientId = patient_id, slice
/// labels joined by SOPInstanceUID (with or without the RSNA "ID_" prefix). A folder whose series or
/// slice count disagrees with scans.csv, and scans.csv rows without a folder, are reported.
/// </summary>
public static class PhantomDataset
{
    public const string LabelsFile = "labels.csv";
    public const string ScansFile = "scans.csv";

    public static IReadOnlyList<ScanRecord> Open(string root, LoadReport report, DicomDatasetOptions? options = null)
    {
        options ??= new DicomDatasetOptions();
        if (!Directory.Exists(root)) throw new DatasetFormatException("phantom folder not found", root);
        var scansPath = Path.Combine(root, ScansFile);
        var labelsPath = Path.Combine(root, LabelsFile);
        var table = CsvTable.Read(scansPath);
        int scanCol = table.Require("scan_id"), patientCol = table.Require("patient_id"),
            seriesCol = table.Require("series_uid"), slicesCol = table.Require("slices");

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var scans = new List<ScanRecord>();
        foreach (var row in table.Rows)
        {
            var scanId = row[scanCol].Trim();
            if (scanId.Length == 0 || scanId.Contains('/') || scanId.Contains('\\') || scanId is "." or "..")
                throw new DatasetFormatException($"scan_id '{scanId}' is not a folder name", scansPath, row.Line);
            if (seen.TryGetValue(scanId, out var first))
                throw new DatasetFormatException($"scan {scanId} listed twice (first on line {first})", scansPath, row.Line);
            seen[scanId] = row.Line;
            if (!int.TryParse(row[slicesCol].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var expectedSlices))
                throw new DatasetFormatException($"slices '{row[slicesCol]}' is not a count", scansPath, row.Line);

            var folder = Path.Combine(root, scanId);
            if (!Directory.Exists(folder)) { report.Skip(scansPath, scanId, "scan folder missing", row.Line); continue; }
            var assembly = DicomFolderDataset.Assemble(DicomFolderDataset.ListInputs(folder, report), report, options.Rules);
            var selected = assembly.Studies.Select(s => DicomFolderDataset.SelectedOrReport(s, report)).OfType<SeriesReport>().ToList();
            if (selected.Count != 1)
            {
                report.Skip(folder, scanId, selected.Count == 0 ? "no usable series" : $"{selected.Count} studies in one scan folder");
                continue;
            }
            var series = selected[0];
            if (!string.Equals(series.SeriesInstanceUid, row[seriesCol].Trim(), StringComparison.Ordinal))
                report.Note(folder, scanId, $"SeriesInstanceUID {series.SeriesInstanceUid} differs from scans.csv ({row[seriesCol]})", row.Line);
            if (series.Slices.Count != expectedSlices)
                report.Note(folder, scanId, $"{series.Slices.Count} slices assembled, scans.csv says {expectedSlices}", row.Line);

            var record = DicomFolderDataset.Build(series, options, ScanIdSource.SeriesInstanceUid, DatasetKind.Phantom);
            scans.Add(record with { ScanId = scanId, PatientId = row[patientCol].Trim() });
        }
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            if (name != "masks" && !seen.ContainsKey(name)) report.Skip(dir, name, $"folder not listed in {ScansFile}");
        }
        var labels = RsnaLabelFile.Read(labelsPath, legacyPhantomIds: true).NotedIn(report).Items;
        return AttachLabels(scans, labels, labelsPath, report);
    }

    /// <summary>Joins labels (keyed by SOPInstanceUID; the reader already removed the "ID_" of earlier synth versions) to slices.</summary>
    private static IReadOnlyList<ScanRecord> AttachLabels(IReadOnlyList<ScanRecord> scans,
        IReadOnlyDictionary<string, RsnaImageLabel> labels, string labelsPath, LoadReport report)
    {
        var result = RsnaDataset.AttachLabels(scans, labels, labelsPath, report);
        return result.Select(s => s with { Dataset = DatasetKind.Phantom }).ToList();
    }
}
