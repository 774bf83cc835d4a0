using Ich.Core;
using Ich.Metrics;

namespace Ich.Training.Ensemble;

/// <summary>One row of the ablation table: a stage's out-of-fold scores, per slice and per scan.</summary>
/// <param name="Stage">Row name, e.g. "2D-CNN (densenet121)", "2D-CNN + SeqModel1 (...)", "Model ensemble".</param>
/// <param name="Slices">Number of slices scored.</param>
/// <param name="WeightedLogLoss">RSNA weighted log-loss over slices (any weight 2), Ich.Metrics.</param>
/// <param name="LogLoss">Per-class slice log-loss, class order of <see cref="HemorrhageClasses"/>.</param>
/// <param name="Auc">Per-class slice ROC AUC (NaN when a class has no positive or no negative slice).</param>
/// <param name="Scans">Number of scans scored.</param>
/// <param name="ScanAuc">Per-class scan ROC AUC, a scan scored by its highest slice probability and labelled positive
/// when any slice is (what the reader operating points threshold); NaN when undefined.</param>
public sealed record StageScores(string Stage, int Slices, double WeightedLogLoss, double[] LogLoss, double[] Auc, int Scans, double[] ScanAuc)
{
    /// <summary>Scores each scan's [L, 6] probabilities against its [L, 6] 0/1 labels (row-major).</summary>
    public static StageScores Compute(string stage, IReadOnlyList<(float[] Probabilities, float[] Labels)> scans)
    {
        const int k = HemorrhageClasses.Count;
        foreach (var (p, l) in scans)
            if (p.Length != l.Length || p.Length % k != 0)
                throw new ArgumentException("each scan's probabilities and labels must both be [L, 6]");
        var probabilities = scans.SelectMany(s => s.Probabilities).ToArray();
        var labels = scans.SelectMany(s => s.Labels).ToArray();
        var n = probabilities.Length / k;
        var loss = Ich.Metrics.WeightedLogLoss.ComputeFlat(probabilities, labels);
        var auc = new double[k];
        var scanAuc = new double[k];
        for (var c = 0; c < k; c++)
        {
            auc[c] = RocAuc.Compute(Column(probabilities, c), Column(labels, c).Select(v => v >= 0.5).ToArray());
            scanAuc[c] = RocAuc.Compute(scans.Select(s => (double)ScanLevel.Max(s.Probabilities, c)).ToArray(),
                scans.Select(s => ScanLevel.Max(s.Labels, c) >= 0.5).ToArray());
        }
        return new StageScores(stage, n, loss.Total, loss.PerClass.ToArray(), auc, scans.Count, scanAuc);
    }

    private static double[] Column(float[] rows, int c)
    {
        var column = new double[rows.Length / HemorrhageClasses.Count];
        for (var i = 0; i < column.Length; i++) column[i] = rows[i * HemorrhageClasses.Count + c];
        return column;
    }
}
