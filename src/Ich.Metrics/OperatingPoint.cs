namespace Ich.Metrics;

/// <summary>How a threshold was chosen.</summary>
public enum ThresholdRule
{
    /// <summary>Maximises Youden's J = sensitivity + specificity − 1 on this set.</summary>
    Youden,
    /// <summary>Given by the user (a fixed value, or read from a thresholds file chosen on another set).</summary>
    Fixed,
    /// <summary>The highest threshold whose sensitivity reaches a target (e.g. 0.95 for triage).</summary>
    TargetSensitivity,
    /// <summary>The lowest threshold whose specificity stays at or above a target (e.g. 0.90 before a subtype is flagged).</summary>
    TargetSpecificity,
}

/// <summary>
/// A binary decision rule "positive when score ≥ Threshold" and its confusion counts, with
/// sensitivity and specificity and their Wilson 95 % intervals (null when undefined: no positives
/// for sensitivity, no negatives for specificity).
/// </summary>
public sealed record OperatingPoint(
    double Threshold,
    ThresholdRule Rule,
    int TruePositives,
    int FalsePositives,
    int TrueNegatives,
    int FalseNegatives)
{
    public double? Sensitivity => TruePositives + FalseNegatives == 0 ? null : (double)TruePositives / (TruePositives + FalseNegatives);
    public double? Specificity => TrueNegatives + FalsePositives == 0 ? null : (double)TrueNegatives / (TrueNegatives + FalsePositives);
    public Interval? SensitivityCi95 => WilsonInterval.Compute(TruePositives, TruePositives + FalseNegatives);
    public Interval? SpecificityCi95 => WilsonInterval.Compute(TrueNegatives, TrueNegatives + FalsePositives);
}

/// <summary>Chooses and evaluates operating points. Thresholds are actual score values (sklearn's <c>roc_curve</c> convention).</summary>
public static class OperatingPoints
{
    /// <summary>Counts at a given threshold (score ≥ threshold is positive). Always defined.</summary>
    public static OperatingPoint AtThreshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double threshold,
        ThresholdRule rule = ThresholdRule.Fixed)
    {
        BinaryInput.Check(scores, labels);
        if (double.IsNaN(threshold)) throw new ArgumentException("threshold is NaN");
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var called = scores[i] >= threshold;
            if (labels[i]) { if (called) tp++; else fn++; }
            else { if (called) fp++; else tn++; }
        }
        return new OperatingPoint(threshold, rule, tp, fp, tn, fn);
    }

    /// <summary>
    /// The Youden point: the ROC point (excluding the trivial start) with the largest TPR − FPR; among
    /// equal maxima the highest threshold (the most specific). Null when a class is absent.
    /// </summary>
    public static OperatingPoint? Youden(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var roc = RocCurve.Compute(scores, labels);
        if (roc.Positives == 0 || roc.Negatives == 0) return null;
        var best = 0;
        var bestJ = double.NegativeInfinity;
        for (var k = 0; k < roc.Count; k++)
        {
            var j = roc.Tpr(k) - roc.Fpr(k);
            if (j > bestJ) { bestJ = j; best = k; }
        }
        return FromRoc(roc, best, ThresholdRule.Youden);
    }

    /// <summary>
    /// The highest threshold whose sensitivity is ≥ <paramref name="targetSensitivity"/> (so specificity is
    /// as high as the target allows). Null when there is no positive sample.
    /// </summary>
    public static OperatingPoint? AtTargetSensitivity(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double targetSensitivity)
    {
        if (targetSensitivity is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(targetSensitivity), targetSensitivity, "target sensitivity must be in (0, 1]");
        var roc = RocCurve.Compute(scores, labels);
        if (roc.Positives == 0) return null;
        for (var k = 0; k < roc.Count; k++)
            if (roc.Tpr(k) >= targetSensitivity) return FromRoc(roc, k, ThresholdRule.TargetSensitivity);
        throw new InvalidOperationException("unreachable: the last ROC point has sensitivity 1");
    }

    /// <summary>
    /// The lowest threshold whose specificity is ≥ <paramref name="targetSpecificity"/> (so sensitivity is as high as
    /// that specificity allows). Null when there is no negative sample, or when even the highest score already
    /// calls too many negatives positive (ties at the top).
    /// </summary>
    public static OperatingPoint? AtTargetSpecificity(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double targetSpecificity)
    {
        if (targetSpecificity is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(targetSpecificity), targetSpecificity, "target specificity must be in (0, 1]");
        var roc = RocCurve.Compute(scores, labels);
        if (roc.Negatives == 0) return null;
        // ROC points run from the highest threshold down; specificity only falls along them.
        for (var k = roc.Count - 1; k >= 0; k--)
            if (1 - roc.Fpr(k) >= targetSpecificity - 1e-12) return FromRoc(roc, k, ThresholdRule.TargetSpecificity);
        return null;
    }

    private static OperatingPoint FromRoc(RocCurve roc, int k, ThresholdRule rule) =>
        new(roc.Thresholds[k], rule,
            roc.TruePositives[k], roc.FalsePositives[k],
            roc.Negatives - roc.FalsePositives[k], roc.Positives - roc.TruePositives[k]);
}
