namespace Ich.Metrics;

/// <summary>Percentiles with linear interpolation between order statistics (numpy's default, Hyndman–Fan type 7).</summary>
public static class Percentile
{
    /// <param name="sorted">Values in ascending order, at least one.</param>
    /// <param name="q">Quantile in [0, 1].</param>
    public static double OfSorted(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.Length == 0) throw new ArgumentException("no values");
        if (q is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(q), q, "quantile must be in [0, 1]");
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        var t = h - lo;
        return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * t;
    }
}
