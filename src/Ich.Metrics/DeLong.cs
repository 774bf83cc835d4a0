namespace Ich.Metrics;

/// <summary>AUC with its DeLong variance and the normal-approximation 95 % interval (clipped to [0, 1]).</summary>
public sealed record DeLongResult(double Auc, double Variance, double StandardError, Interval Ci95);

/// <summary>
/// DeLong, DeLong &amp; Clarke-Pearson (1988) variance of the empirical AUC from its structural
/// components: V10(xᵢ) = P(score of negative &lt; xᵢ) + ½P(=) for each positive, V01(yⱼ) likewise for each
/// negative; Var = s²(V10)/m + s²(V01)/n with sample variances. Computed in O(N log N) from tie blocks.
/// </summary>
public static class DeLong
{
    /// <summary>Two-sided 97.5 % normal quantile.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The DeLong result, or null when the variance is undefined: fewer than two positives or fewer
    /// than two negatives.
    /// </summary>
    public static DeLongResult? Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        BinaryInput.Check(scores, labels);
        var (m, n) = BinaryInput.Count(labels);
        if (m < 2 || n < 2) return null;
        var blocks = TieBlocks.Build(scores, labels);
        var auc = RocAuc.FromBlocks(blocks, m, n);

        double negativesBelow = 0, positivesBelow = 0, s10 = 0, s01 = 0;
        for (var b = 0; b < blocks.Count; b++)
        {
            int p = blocks.Positives[b], q = blocks.Negatives[b];
            var v10 = (negativesBelow + 0.5 * q) / n;               // shared by every positive of this block
            var v01 = (m - positivesBelow - p + 0.5 * p) / m;        // shared by every negative of this block
            s10 += p * (v10 - auc) * (v10 - auc);
            s01 += q * (v01 - auc) * (v01 - auc);
            negativesBelow += q;
            positivesBelow += p;
        }
        var variance = s10 / (m - 1) / m + s01 / (n - 1) / n;
        var se = Math.Sqrt(variance);
        return new DeLongResult(auc, variance, se,
            new Interval(Math.Max(0, auc - Z95 * se), Math.Min(1, auc + Z95 * se)));
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{bool})"/>
    public static DeLongResult? Compute(double[] scores, bool[] labels) => Compute(scores.AsSpan(), labels.AsSpan());
}
