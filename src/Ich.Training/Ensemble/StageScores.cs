using Ich.Core;
using Ich.Metrics;

namespace Ich.Training.Ensemble;

/// <summary>One row of the ablation table: a stage's slice-level scores on the out-of-fold predictions.</summary>
/// <param name="Stage">Row name, e.g. "2D-CNN (densenet121)", "2D-CNN + SeqModel1 (...)", "Model ensemble".</param>
/// <param name="Slices">Number of slices scored.</param>
/// <param name="WeightedLogLoss">RSNA weighted log-loss (any weight 2), Ich.Metrics.</param>
/// <param name="LogLoss">Per-class log-loss, class order of <see cref="HemorrhageClasses"/>.</param>
/// <param name="Auc">Per-class ROC AUC (NaN when a class has no positive or no negative slice).</param>
public sealed record StageScores(string Stage, int Slices, double WeightedLogLoss, double[] LogLoss, double[] Auc)
{
    /// <summary>Scores [n, 6] probabilities against [n, 6] 0/1 labels (row-major).</summary>
    public static StageScores Compute(string stage, float[] probabilities, float[] labels)
    {
        if (probabilities.Length != labels.Length || probabilities.Length % HemorrhageClasses.Count != 0)
            throw new ArgumentException("probabilities and labels must both be [n, 6]");
        var n = probabilities.Length / HemorrhageClasses.Count;
        var loss = Ich.Metrics.WeightedLogLoss.ComputeFlat(probabilities, labels);
        var auc = new double[HemorrhageClasses.Count];
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var scores = new double[n];
            var truth = new bool[n];
            for (var i = 0; i < n; i++) { scores[i] = probabilities[i * HemorrhageClasses.Count + c]; truth[i] = labels[i * HemorrhageClasses.Count + c] >= 0.5f; }
            auc[c] = RocAuc.Compute(scores, truth);
        }
        return new StageScores(stage, n, loss.Total, loss.PerClass.ToArray(), auc);
    }
}
