using Ich.Core;

namespace Ich.Training.Ensemble;

/// <summary>
/// TEMPORARY minimal metrics for the ablation table until Ich.Metrics (h/metrics) is merged; to be
/// replaced by Ich.Metrics calls then. Slice-level: ROC AUC by the rank-sum (Mann–Whitney) formula with
/// mid-ranks for ties; RSNA weighted log-loss (probabilities clipped to [1e-15, 1 − 1e-15], per-class
/// mean binary cross-entropy, weights 2 for any and 1 for subtypes).
/// </summary>
internal static class InterimMetrics
{
    /// <summary>AUC of scores against 0/1 labels; NaN when one class is absent.</summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        var n = scores.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[n];
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            var mid = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = mid;
            i = j + 1;
        }
        double pos = 0, rankSum = 0;
        for (var i = 0; i < n; i++)
            if (labels[i] > 0.5) { pos++; rankSum += ranks[i]; }
        var neg = n - pos;
        if (pos == 0 || neg == 0) return double.NaN;
        return (rankSum - pos * (pos + 1) / 2) / (pos * neg);
    }

    /// <summary>Mean binary cross-entropy of one class.</summary>
    public static double LogLoss(IReadOnlyList<double> p, IReadOnlyList<double> y)
    {
        const double eps = 1e-15;
        var sum = 0.0;
        for (var i = 0; i < p.Count; i++)
        {
            var q = Math.Clamp(p[i], eps, 1 - eps);
            sum -= y[i] * Math.Log(q) + (1 - y[i]) * Math.Log(1 - q);
        }
        return sum / p.Count;
    }

    /// <summary>RSNA weighted log-loss over [n, 6] probabilities and labels.</summary>
    public static double WeightedLogLoss(IReadOnlyList<double[]> perClassP, IReadOnlyList<double[]> perClassY)
    {
        double total = 0, weights = 0;
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            total += HemorrhageClasses.LossWeights[c] * LogLoss(perClassP[c], perClassY[c]);
            weights += HemorrhageClasses.LossWeights[c];
        }
        return total / weights;
    }
}
