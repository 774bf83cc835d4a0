namespace Ich.Metrics;

/// <summary>
/// Per-class AUC of multi-label outputs held as a training loop holds them: flat row-major n × classes
/// buffers (e.g. one validation epoch). A target counts as positive when ≥ 0.5.
/// </summary>
public static class MultiLabelAuc
{
    /// <returns>One AUC per class; NaN where a class has no positive or no negative sample.</returns>
    public static double[] Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets, int classes = Ich.Core.HemorrhageClasses.Count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (probabilities.Length != targets.Length || probabilities.Length % classes != 0)
            throw new ArgumentException($"buffers of {probabilities.Length} and {targets.Length} values are not n × {classes}");
        var n = probabilities.Length / classes;
        var result = new double[classes];
        var scores = new double[n];
        var labels = new bool[n];
        for (var c = 0; c < classes; c++)
        {
            for (var i = 0; i < n; i++)
            {
                scores[i] = probabilities[i * classes + c];
                labels[i] = targets[i * classes + c] >= 0.5f;
            }
            result[c] = RocAuc.Compute(scores, labels);
        }
        return result;
    }
}
