namespace Ich.Metrics;

/// <summary>
/// Area under the precision–recall curve as average precision, AP = Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct
/// thresholds (step-wise, no interpolation; scikit-learn's <c>average_precision_score</c>).
/// </summary>
public static class AveragePrecision
{
    /// <summary>AP in [0, 1], or NaN when there is no positive sample (undefined).</summary>
    public static double Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var roc = RocCurve.Compute(scores, labels);
        if (roc.Positives == 0) return double.NaN;
        double ap = 0, previousRecall = 0;
        for (var k = 0; k < roc.Count; k++)
        {
            var recall = (double)roc.TruePositives[k] / roc.Positives;
            var precision = (double)roc.TruePositives[k] / (roc.TruePositives[k] + roc.FalsePositives[k]);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    public static double Compute(double[] scores, bool[] labels) => Compute(scores.AsSpan(), labels.AsSpan());
}
