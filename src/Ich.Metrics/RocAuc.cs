namespace Ich.Metrics;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive
/// scores higher than a random negative, ties counting ½. This equals the trapezoidal area under the
/// empirical ROC curve (scikit-learn's <c>roc_auc_score</c>).
/// </summary>
public static class RocAuc
{
    /// <summary>
    /// AUC in [0, 1], or <see cref="double.NaN"/> when it is undefined (no positive or no negative
    /// sample); check with <see cref="IsDefined"/> before reporting.
    /// </summary>
    /// <param name="scores">One finite score per sample; higher means "more likely positive".</param>
    /// <param name="labels">Ground truth, same length.</param>
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        BinaryInput.Check(scores, labels);
        var (p, n) = BinaryInput.Count(labels);
        if (p == 0 || n == 0) return double.NaN;
        return FromBlocks(TieBlocks.Build(scores, labels), p, n);
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{bool})"/>
    public static double Compute(double[] scores, bool[] labels) => Compute(scores.AsSpan(), labels.AsSpan());

    /// <summary>True when both classes are present, i.e. the AUC is defined.</summary>
    public static bool IsDefined(ReadOnlySpan<bool> labels)
    {
        var (p, n) = BinaryInput.Count(labels);
        return p > 0 && n > 0;
    }

    internal static double FromBlocks(TieBlocks blocks, int positives, int negatives)
    {
        // Every count product below is an integer < 2^53, so the numerator is exact.
        double wins = 0, negativesBelow = 0;
        for (var b = 0; b < blocks.Count; b++)
        {
            wins += blocks.Positives[b] * (negativesBelow + 0.5 * blocks.Negatives[b]);
            negativesBelow += blocks.Negatives[b];
        }
        return wins / ((double)positives * negatives);
    }
}
