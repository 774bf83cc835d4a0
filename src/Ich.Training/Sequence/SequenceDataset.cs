using Ich.Core;
using Ich.Core.Errors;
using Ich.Model.Sequence;
using Ich.Training.Features;

namespace Ich.Training.Sequence;

/// <summary>A scan of the sequence stage: identity and slice IDs plus its arrays.</summary>
public sealed record SeqScan(string Dataset, string PatientId, string ScanId, IReadOnlyList<string> SliceIds, SequenceScanData Data);

/// <summary>
/// Joins the feature stores of one system's backbones scan by scan. Every store must hold the same
/// scans with the same slices in the same order (they come from one dataset index); anything else is a
/// <see cref="DatasetFormatException"/> naming the store and scan.
/// </summary>
public static class SequenceDataset
{
    /// <param name="stores">One store per backbone, in the system's order.</param>
    /// <param name="unknownSpacingMm">Spacing for scans without positions; null = error.</param>
    /// <param name="requireLabels">Training: scans without labels are skipped and counted.</param>
    public static (List<SeqScan> Scans, int SkippedUnlabelled) Load(IReadOnlyList<FeatureStore> stores, double? unknownSpacingMm, bool requireLabels)
    {
        if (stores.Count == 0) throw new ArgumentException("no stores", nameof(stores));
        var first = stores[0];
        var lookups = stores.Skip(1).Select(s => s.Scans.ToDictionary(x => (x.Dataset, x.ScanId))).ToList();
        foreach (var (store, lookup) in stores.Skip(1).Zip(lookups))
            if (lookup.Count != first.Scans.Count)
                throw new DatasetFormatException($"{lookup.Count} scans, but {first.Folder} has {first.Scans.Count}: stores of one system must cover the same scans", store.Folder);

        var result = new List<SeqScan>();
        var skipped = 0;
        foreach (var scan in first.Scans)
        {
            var rows = Enumerable.Range(scan.FirstRow, scan.Count).Select(r => first.Rows[r]).ToList();
            var labelled = rows.All(r => r.Labels is not null);
            if (requireLabels && !labelled) { skipped++; continue; }
            var features = new List<float[]> { first.ReadFeatures(scan) };
            var probs = new List<float[]> { first.ReadProbs(scan) };
            for (var k = 1; k < stores.Count; k++)
            {
                if (!lookups[k - 1].TryGetValue((scan.Dataset, scan.ScanId), out var other))
                    throw new DatasetFormatException($"scan {scan.Dataset}/{scan.ScanId} missing", stores[k].Folder);
                if (other.Count != scan.Count || Enumerable.Range(0, scan.Count).Any(i => stores[k].Rows[other.FirstRow + i].SliceId != rows[i].SliceId))
                    throw new DatasetFormatException($"scan {scan.Dataset}/{scan.ScanId}: slices differ from {first.Folder}", stores[k].Folder);
                features.Add(stores[k].ReadFeatures(other));
                probs.Add(stores[k].ReadProbs(other));
            }
            var positions = Positions(rows, unknownSpacingMm, first.Folder, scan);
            float[]? labels = null;
            if (labelled)
            {
                labels = new float[rows.Count * HemorrhageClasses.Count];
                for (var i = 0; i < rows.Count; i++) Array.Copy(rows[i].Labels!, 0, labels, i * HemorrhageClasses.Count, HemorrhageClasses.Count);
            }
            result.Add(new SeqScan(scan.Dataset, scan.PatientId, scan.ScanId, rows.Select(r => r.SliceId).ToList(),
                new SequenceScanData(features, probs, positions, null, labels)));
        }
        return (result, skipped);
    }

    private static double[] Positions(List<FeatureRow> rows, double? unknownSpacingMm, string folder, FeatureScan scan)
    {
        if (rows.All(r => double.IsFinite(r.ZMm))) return rows.Select(r => r.ZMm).ToArray();
        if (unknownSpacingMm is null)
            throw new DatasetFormatException(
                $"scan {scan.Dataset}/{scan.ScanId} has slices without z_mm; set unknownSpacingMm in the config to use a fixed spacing", folder);
        // Positions from the slice index, so that every-other-slice selection still doubles Δz.
        return rows.Select(r => r.SliceIndex * unknownSpacingMm.Value).ToArray();
    }
}
