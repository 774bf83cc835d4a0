namespace Ich.Metrics;

/// <summary>One bin of a reliability table; MeanPredicted and FractionPositive are null for an empty bin.</summary>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double? MeanPredicted, double? FractionPositive);

/// <summary>A reliability table over equal-width probability bins and its expected calibration error.</summary>
/// <param name="Ece">Σ (nᵦ/N)·|fraction positive − mean predicted| over non-empty bins.</param>
public sealed record ReliabilityTable(IReadOnlyList<ReliabilityBin> Bins, double Ece);

/// <summary>
/// Calibration of probabilities. Bins are (edgeᵢ₋₁, edgeᵢ] with edgeᵢ = i·(1/B), the first one closed
/// at 0 (scikit-learn's <c>calibration_curve(strategy="uniform")</c> binning).
/// </summary>
public static class Calibration
{
    public const int DefaultBins = 10;

    public static ReliabilityTable Compute(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels, int bins = DefaultBins)
    {
        BinaryInput.Check(probabilities, labels);
        BinaryInput.CheckProbabilities(probabilities);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (probabilities.Length == 0) throw new ArgumentException("no samples");
        var step = 1.0 / bins;
        var count = new int[bins];
        var sum = new double[bins];
        var positives = new double[bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            var b = 0;
            while (b < bins - 1 && (b + 1) * step < p) b++; // number of inner edges strictly below p
            count[b]++;
            sum[b] += p;
            if (labels[i]) positives[b]++;
        }
        var rows = new ReliabilityBin[bins];
        double ece = 0;
        for (var b = 0; b < bins; b++)
        {
            var upper = b == bins - 1 ? 1.0 : (b + 1) * step;
            if (count[b] == 0) { rows[b] = new ReliabilityBin(b * step, upper, 0, null, null); continue; }
            double mean = sum[b] / count[b], fraction = positives[b] / count[b];
            rows[b] = new ReliabilityBin(b * step, upper, count[b], mean, fraction);
            ece += (double)count[b] / probabilities.Length * Math.Abs(fraction - mean);
        }
        return new ReliabilityTable(rows, ece);
    }
}
