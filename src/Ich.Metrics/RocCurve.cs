namespace Ich.Metrics;

/// <summary>
/// The empirical ROC curve: one point per distinct score, thresholds descending, where a sample is
/// called positive when score ≥ threshold. The implicit start point (0, 0) is not stored.
/// </summary>
public sealed class RocCurve
{
    private RocCurve(double[] thresholds, int[] tp, int[] fp, int positives, int negatives)
    {
        Thresholds = thresholds;
        TruePositives = tp;
        FalsePositives = fp;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>Distinct scores, descending.</summary>
    public double[] Thresholds { get; }

    /// <summary>Positives with score ≥ Thresholds[k].</summary>
    public int[] TruePositives { get; }

    /// <summary>Negatives with score ≥ Thresholds[k].</summary>
    public int[] FalsePositives { get; }

    public int Positives { get; }
    public int Negatives { get; }
    public int Count => Thresholds.Length;

    /// <summary>Sensitivity at point k (NaN without positives).</summary>
    public double Tpr(int k) => Positives == 0 ? double.NaN : (double)TruePositives[k] / Positives;

    /// <summary>1 − specificity at point k (NaN without negatives).</summary>
    public double Fpr(int k) => Negatives == 0 ? double.NaN : (double)FalsePositives[k] / Negatives;

    public static RocCurve Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        BinaryInput.Check(scores, labels);
        var blocks = TieBlocks.Build(scores, labels);
        var (p, n) = BinaryInput.Count(labels);
        var k = blocks.Count;
        var thresholds = new double[k];
        var tp = new int[k];
        var fp = new int[k];
        int cumP = 0, cumN = 0;
        for (var i = 0; i < k; i++)
        {
            var b = k - 1 - i; // highest score first
            cumP += blocks.Positives[b];
            cumN += blocks.Negatives[b];
            thresholds[i] = blocks.Values[b];
            tp[i] = cumP;
            fp[i] = cumN;
        }
        return new RocCurve(thresholds, tp, fp, p, n);
    }

    public static RocCurve Compute(double[] scores, bool[] labels) => Compute(scores.AsSpan(), labels.AsSpan());
}
