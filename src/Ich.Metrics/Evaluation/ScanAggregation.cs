namespace Ich.Metrics.Evaluation;

/// <summary>Scan-level rows from slice-level rows, the paper's rule: per class, the maximum over the scan's slices.</summary>
public static class ScanAggregation
{
    /// <summary>
    /// One row per distinct <see cref="EvaluationRow.ScanId"/> (ordinal order): probabilities and labels are
    /// the per-class maxima over the scan's rows; ItemId is the scan ID.
    /// </summary>
    public static IReadOnlyList<EvaluationRow> MaxOverSlices(IReadOnlyList<EvaluationRow> slices)
    {
        var scans = new SortedDictionary<string, (double[] P, bool[] Y)>(StringComparer.Ordinal);
        foreach (var s in slices)
        {
            if (!scans.TryGetValue(s.ScanId, out var acc))
            {
                scans[s.ScanId] = ((double[])s.Probabilities.Clone(), (bool[])s.Labels.Clone());
                continue;
            }
            for (var c = 0; c < acc.P.Length; c++)
            {
                acc.P[c] = Math.Max(acc.P[c], s.Probabilities[c]);
                acc.Y[c] |= s.Labels[c];
            }
        }
        return scans.Select(kv => new EvaluationRow(kv.Key, kv.Key, kv.Value.P, kv.Value.Y)).ToList();
    }
}
