using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Data.Catalog;

namespace Ich.Data.Rsna;

/// <summary>
/// Joins RSNA labels to scans assembled from the DICOM files (slice ID = SOPInstanceUID =
/// <c>ID_&lt;hex&gt;</c>, the label file's image ID). Known corrupt images are dropped and reported.
/// </summary>
public static class RsnaDataset
{
    /// <summary>Images with broken pixel data in the challenge set (dropped by every top solution).</summary>
    public static readonly IReadOnlySet<string> KnownCorrupt = new HashSet<string>(StringComparer.Ordinal) { "ID_6431af929" };

    /// <summary>True when the file name (ID_xxx.dcm) is a known corrupt image; report and skip it before parsing.</summary>
    public static bool IsKnownCorruptFile(string path) =>
        KnownCorrupt.Contains(Path.GetFileNameWithoutExtension(path));

    /// <summary>
    /// New scan records (dataset "rsna") with each slice's labels from <paramref name="labels"/>.
    /// Slices of known corrupt images are removed (reported); slices without a label row stay
    /// unlabelled (reported per scan); label rows whose image is in no scan are reported in one entry.
    /// </summary>
    public static IReadOnlyList<ScanRecord> AttachLabels(IEnumerable<ScanRecord> scans,
        IReadOnlyDictionary<string, RsnaImageLabel> labels, string labelPath, LoadReport report)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<ScanRecord>();
        foreach (var scan in scans)
        {
            var kept = new List<SliceRecord>(scan.Slices.Count);
            var unlabelled = 0;
            foreach (var slice in scan.Slices)
            {
                if (KnownCorrupt.Contains(slice.SliceId))
                {
                    report.Skip(slice.SourcePath, slice.SliceId, "known corrupt RSNA image (truncated pixel data)");
                    used.Add(slice.SliceId);
                    continue;
                }
                float[]? value = null;
                if (labels.TryGetValue(slice.SliceId, out var label))
                {
                    used.Add(slice.SliceId);
                    value = label.Labels;
                }
                if (value is null) unlabelled++;
                kept.Add(slice with { Index = kept.Count, Labels = value });
            }
            if (unlabelled > 0)
                report.Note(scan.Slices.FirstOrDefault()?.SourcePath, scan.ScanId, $"{unlabelled} of {scan.Slices.Count} slices have no labels in {labelPath}");
            if (kept.Count == 0)
            {
                report.Skip(scan.Slices.FirstOrDefault()?.SourcePath, scan.ScanId, "no slice left after removing corrupt images");
                continue;
            }
            result.Add(scan with { Dataset = DatasetKind.Rsna, Slices = kept });
        }
        var orphans = labels.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (orphans.Count > 0)
            report.Skip(labelPath, string.Join(",", orphans.Take(5)) + (orphans.Count > 5 ? ",..." : ""),
                $"{orphans.Count} labelled image(s) have no DICOM file among the scans");
        return result;
    }
}
