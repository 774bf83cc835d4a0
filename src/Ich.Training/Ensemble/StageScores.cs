using Ich.Core;

namespace Ich.Training.Ensemble;

/// <summary>One row of the ablation table: a stage's slice-level scores on the out-of-fold predictions.</summary>
/// <param name="Stage">Row name, e.g. "CNN (densenet121)", "+SeqModel1", "ensemble".</param>
/// <param name="Slices">Number of slices scored.</param>
/// <param name="WeightedLogLoss">RSNA weighted log-loss (any weight 2).</param>
/// <param name="LogLoss">Per-class log-loss, class order of <see cref="HemorrhageClasses"/>.</param>
/// <param name="Auc">Per-class ROC AUC (NaN when a class has no positive or no negative slice).</param>
public sealed record StageScores(string Stage, int Slices, double WeightedLogLoss, double[] LogLoss, double[] Auc)
{
    /// <summary>Scores [n, 6] probabilities against [n, 6] labels (row-major).</summary>
    public static StageScores Compute(string stage, float[] probabilities, float[] labels)
    {
        if (probabilities.Length != labels.Length || probabilities.Length % 6 != 0)
            throw new ArgumentException("probabilities and labels must both be [n, 6]");
        var n = probabilities.Length / 6;
        var p = new double[6][];
        var y = new double[6][];
        for (var c = 0; c < 6; c++)
        {
            p[c] = new double[n];
            y[c] = new double[n];
            for (var i = 0; i < n; i++) { p[c][i] = probabilities[i * 6 + c]; y[c][i] = labels[i * 6 + c]; }
        }
        return new StageScores(stage, n, InterimMetrics.WeightedLogLoss(p, y),
            Enumerable.Range(0, 6).Select(c => InterimMetrics.LogLoss(p[c], y[c])).ToArray(),
            Enumerable.Range(0, 6).Select(c => InterimMetrics.Auc(p[c], y[c])).ToArray());
    }
}
