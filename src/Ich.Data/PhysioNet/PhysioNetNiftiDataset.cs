using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.Nifti;

namespace Ich.Data.PhysioNet;

/// <summary>
/// PhysioNet CT-ICH v1.3.1 NIfTI layout: <c>ct_scans/NNN.nii</c> (HU volumes; .nii.gz also accepted)
/// + <c>hemorrhage_diagnosis_raw_ct.csv</c> (same columns as the v1.0.0 table). SliceNumber s labels
/// the s-th lowest axial slice of the volume (<see cref="AxialLayout"/>). Patients without a volume,
/// volumes without label rows, and slice-count mismatches are reported: label rows beyond the volume
/// are skipped, volume slices without a row stay unlabelled.
/// </summary>
public static class PhysioNetNiftiDataset
{
    public const string LabelFile = "hemorrhage_diagnosis_raw_ct.csv";
    public const string ScansFolder = "ct_scans";

    public static IReadOnlyList<ScanRecord> Open(string root, LoadReport report)
    {
        if (!Directory.Exists(root)) throw new DatasetFormatException("dataset folder not found", root);
        var csv = Path.Combine(root, LabelFile);
        var scansDir = Path.Combine(root, ScansFolder);
        if (!File.Exists(csv)) throw new DatasetFormatException($"label file {LabelFile} not found", csv);
        if (!Directory.Exists(scansDir)) throw new DatasetFormatException($"volume folder {ScansFolder}/ not found", scansDir);

        var labels = PhysioNetLabelFile.Read(csv).NotedIn(report).Items.Values;
        var scans = new List<ScanRecord>();
        var labelled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in labels.GroupBy(l => l.Patient).OrderBy(g => g.Key))
        {
            var id = PhysioNetLabelFile.PatientId(group.Key);
            labelled.Add(id);
            var file = new[] { ".nii", ".nii.gz" }.Select(e => Path.Combine(scansDir, id + e)).FirstOrDefault(File.Exists);
            if (file is null)
            {
                report.Skip(Path.Combine(scansDir, id + ".nii"), id,
                    $"volume missing ({group.Count()} labelled slices, first on line {group.Min(l => l.Line)} of {LabelFile})");
                continue;
            }
            NiftiScan volume;
            try { volume = NiftiScan.Open(file); }
            catch (IchException e) { report.Skip(file, id, e.Reason); continue; }

            var bySlice = group.ToDictionary(l => l.Slice);
            foreach (var extra in group.Where(l => l.Slice > volume.SliceCount))
                report.Skip(csv, $"{id}/{extra.Slice}", $"label row for slice {extra.Slice} but the volume has {volume.SliceCount} slices", extra.Line);
            var unlabelled = Enumerable.Range(1, volume.SliceCount).Where(s => !bySlice.ContainsKey(s)).ToList();
            if (unlabelled.Count > 0)
                report.Note(file, id, $"{unlabelled.Count} slice(s) without a label row, kept unlabelled: {string.Join(",", unlabelled)}");
            var scan = volume.ToScanRecord(DatasetKind.PhysioNetNifti, id, id, report,
                s => bySlice.TryGetValue(s, out var l) ? l.Labels : null);
            scans.Add(scan);
        }
        foreach (var file in Directory.EnumerateFiles(scansDir).Where(NiftiFile.IsNiftiName).Order(StringComparer.Ordinal))
        {
            var stem = NiftiDataset.Stem(Path.GetFileName(file));
            if (!labelled.Contains(stem)) report.Skip(file, stem, $"volume has no rows in {LabelFile}");
        }
        return scans;
    }
}
