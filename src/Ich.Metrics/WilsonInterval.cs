namespace Ich.Metrics;

/// <summary>Wilson (1927) score interval for a binomial proportion; well behaved at 0 and n successes.</summary>
public static class WilsonInterval
{
    /// <summary>The 95 % interval for <paramref name="successes"/> of <paramref name="trials"/>, or null when trials = 0.</summary>
    public static Interval? Compute(long successes, long trials, double z = DeLong.Z95)
    {
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes));
        if (trials == 0) return null;
        double n = trials, p = successes / n, z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z / denominator * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
