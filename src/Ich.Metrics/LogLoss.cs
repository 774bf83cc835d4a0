using Ich.Core;

namespace Ich.Metrics;

/// <summary>Per-class and weighted log-loss.</summary>
/// <param name="Total">Σ w_c·L_c / Σ w_c.</param>
/// <param name="PerClass">Mean binary cross-entropy L_c of each class, in <see cref="HemorrhageClasses"/> order.</param>
public sealed record WeightedLogLossResult(double Total, IReadOnlyList<double> PerClass);

/// <summary>Binary cross-entropy (natural log) with probabilities clipped to [ε, 1 − ε].</summary>
public static class BinaryLogLoss
{
    /// <summary>ε = 1e-15, the clipping of the RSNA 2019 (Kaggle) metric and of scikit-learn's <c>log_loss</c>.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>−mean(y·ln p + (1 − y)·ln(1 − p)) over the samples, p clipped to [ε, 1 − ε].</summary>
    public static double Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels, double epsilon = Epsilon)
    {
        BinaryInput.Check(probabilities, labels);
        BinaryInput.CheckProbabilities(probabilities);
        if (probabilities.Length == 0) throw new ArgumentException("no samples");
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++) sum += Term(probabilities[i], labels[i], epsilon);
        return sum / probabilities.Length;
    }

    internal static double Term(double p, bool y, double epsilon)
    {
        p = Math.Clamp(p, epsilon, 1 - epsilon);
        return -(y ? Math.Log(p) : Math.Log(1 - p));
    }
}

/// <summary>
/// The RSNA 2019 challenge metric (the paper's Table 3 "Log_loss"): the weighted multi-label
/// log-loss Σ_c w_c·L_c / Σ_c w_c, with L_c the mean binary cross-entropy of class c over all samples,
/// weights 2 for any and 1 for each subtype (<see cref="HemorrhageClasses.LossWeights"/>), and
/// probabilities clipped to [1e-15, 1 − 1e-15].
/// </summary>
public static class WeightedLogLoss
{
    /// <param name="probabilities">n × 6 probabilities, one row per slice (or scan), classes in <see cref="HemorrhageClasses"/> order.</param>
    /// <param name="labels">n × 6 ground truth.</param>
    /// <param name="weights">Class weights; default 2,1,1,1,1,1.</param>
    public static WeightedLogLossResult Compute(IReadOnlyList<double[]> probabilities, IReadOnlyList<bool[]> labels,
        IReadOnlyList<double>? weights = null, double epsilon = BinaryLogLoss.Epsilon)
    {
        if (probabilities.Count != labels.Count)
            throw new ArgumentException($"probabilities ({probabilities.Count} rows) and labels ({labels.Count} rows) differ");
        if (probabilities.Count == 0) throw new ArgumentException("no samples");
        var classes = probabilities[0].Length;
        weights ??= classes == HemorrhageClasses.Count ? HemorrhageClasses.LossWeights
            : throw new ArgumentException($"{classes} classes: pass the weights explicitly");
        if (weights.Count != classes) throw new ArgumentException($"{weights.Count} weights for {classes} classes");
        var sums = new double[classes];
        for (var i = 0; i < probabilities.Count; i++)
        {
            if (probabilities[i].Length != classes || labels[i].Length != classes)
                throw new ArgumentException($"row {i} does not have {classes} classes");
            for (var c = 0; c < classes; c++)
            {
                var p = probabilities[i][c];
                if (!(p >= 0 && p <= 1)) throw new ArgumentException($"row {i}, class {c}: probability {p} is not in [0, 1]");
                sums[c] += BinaryLogLoss.Term(p, labels[i][c], epsilon);
            }
        }
        var perClass = sums.Select(s => s / probabilities.Count).ToArray();
        double total = 0, weightSum = 0;
        for (var c = 0; c < classes; c++) { total += weights[c] * perClass[c]; weightSum += weights[c]; }
        return new WeightedLogLossResult(total / weightSum, perClass);
    }

    /// <summary>
    /// The same on flat row-major buffers as a training loop holds them: <paramref name="probabilities"/>
    /// and <paramref name="targets"/> have n·<paramref name="classes"/> entries; a target is positive when ≥ 0.5.
    /// </summary>
    public static WeightedLogLossResult ComputeFlat(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> targets,
        int classes = HemorrhageClasses.Count, IReadOnlyList<double>? weights = null)
    {
        if (probabilities.Length != targets.Length || probabilities.Length % classes != 0)
            throw new ArgumentException($"buffers of {probabilities.Length} and {targets.Length} values are not n × {classes}");
        var n = probabilities.Length / classes;
        var p = new double[n][];
        var y = new bool[n][];
        for (var i = 0; i < n; i++)
        {
            p[i] = new double[classes];
            y[i] = new bool[classes];
            for (var c = 0; c < classes; c++)
            {
                p[i][c] = probabilities[i * classes + c];
                y[i][c] = targets[i * classes + c] >= 0.5f;
            }
        }
        return Compute(p, y, weights);
    }
}
