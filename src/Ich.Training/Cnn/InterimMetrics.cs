namespace Ich.Training.Cnn;

/// <summary>
/// Validation metrics used while Ich.Metrics (h/metrics) is not merged into main: weighted log-loss and
/// ROC AUC (Mann-Whitney with tie correction). Replace with Ich.Metrics.WeightedLogLoss / RocAuc after
/// <c>git merge main</c>; not meant to stay.
/// </summary>
internal static class InterimMetrics
{
    /// <summary>Σ_i Σ_c w_c·BCE(p_ic, y_ic) / (N·Σ_c w_c), probabilities clipped to [1e-15, 1 − 1e-15].</summary>
    public static double WeightedLogLoss(float[] probs, float[] labels, IReadOnlyList<double> weights)
    {
        var c = weights.Count;
        var n = probs.Length / c;
        double total = 0, wsum = weights.Sum();
        for (var i = 0; i < n; i++)
            for (var k = 0; k < c; k++)
            {
                var p = Math.Clamp(probs[i * c + k], 1e-15, 1 - 1e-15);
                var y = labels[i * c + k];
                total += weights[k] * -(y * Math.Log(p) + (1 - y) * Math.Log(1 - p));
            }
        return n == 0 ? double.NaN : total / (n * wsum);
    }

    /// <summary>AUC of class <paramref name="k"/> of [N, 6] arrays; NaN when only one label value occurs.</summary>
    public static double Auc(float[] probs, float[] labels, int k, int classes = 6)
    {
        var n = probs.Length / classes;
        var items = Enumerable.Range(0, n).Select(i => (Score: probs[i * classes + k], Pos: labels[i * classes + k] > 0.5f))
            .OrderBy(t => t.Score).ToArray();
        long pos = items.Count(t => t.Pos), neg = n - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        double rankSum = 0;
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j < n && items[j].Score == items[i].Score) j++;
            var avgRank = (i + 1 + j) / 2.0; // ranks i+1..j
            for (var t = i; t < j; t++) if (items[t].Pos) rankSum += avgRank;
            i = j;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double)pos * neg);
    }
}
