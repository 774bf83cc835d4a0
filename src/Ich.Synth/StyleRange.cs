using System.Globalization;

namespace Ich.Synth;

/// <summary>
/// The values a per-scan parameter may take: one interval [Min, Max], or two ([Min, Max] ∪ [UpperMin, UpperMax])
/// for a style that lies outside a middle range on both sides. Drawn uniformly over the union with one random number.
/// </summary>
public sealed record StyleRange(double Min, double Max, double? UpperMin = null, double? UpperMax = null)
{
    public static StyleRange Between(double min, double max) => new(min, max);

    /// <summary>[<paramref name="min"/>, <paramref name="max"/>] ∪ [<paramref name="upperMin"/>, <paramref name="upperMax"/>].</summary>
    public static StyleRange Either(double min, double max, double upperMin, double upperMax) => new(min, max, upperMin, upperMax);

    /// <summary>Magnitudes in [<paramref name="min"/>, <paramref name="max"/>] with either sign.</summary>
    public static StyleRange BeyondPlusMinus(double min, double max) => new(-max, -min, min, max);

    private bool Split => UpperMin is not null;

    /// <summary>
    /// One uniform draw. A single interval uses exactly <c>rng.Uniform(Min, Max)</c> (the call the generator made
    /// before styles existed, so Standard scans keep their values bit for bit).
    /// </summary>
    public float Draw(SynthRandom rng)
    {
        if (!Split) return rng.Uniform(Min, Max);
        var lower = Max - Min;
        var x = rng.NextDouble() * (lower + (UpperMax!.Value - UpperMin!.Value));
        return (float)(x < lower ? Min + x : UpperMin.Value + (x - lower));
    }

    /// <summary>
    /// A uniformly chosen whole number of the range (ends included). A single interval uses exactly
    /// <c>Min + rng.Int(Max − Min + 1)</c>, as before styles existed.
    /// </summary>
    public int DrawInt(SynthRandom rng)
    {
        var lowCount = (int)Max - (int)Min + 1;
        var count = lowCount + (Split ? (int)UpperMax!.Value - (int)UpperMin!.Value + 1 : 0);
        var k = rng.Int(count);
        return k < lowCount ? (int)Min + k : (int)UpperMin!.Value + (k - lowCount);
    }

    /// <summary>True when <paramref name="value"/> lies in the range (ends included, float rounding tolerated).</summary>
    public bool Contains(double value)
    {
        static bool In(double v, double a, double b) => v >= a - Slack(a) && v <= b + Slack(b);
        return In(value, Min, Max) || (Split && In(value, UpperMin!.Value, UpperMax!.Value));
    }

    /// <summary>True when the two ranges share no value.</summary>
    public bool IsDisjointFrom(StyleRange other) => Intervals().All(a => other.Intervals().All(b => a.Max < b.Min || b.Max < a.Min));

    public IEnumerable<(double Min, double Max)> Intervals()
    {
        yield return (Min, Max);
        if (Split) yield return (UpperMin!.Value, UpperMax!.Value);
    }

    /// <summary>"0.9–1.07", "2" for a fixed value, "−35…−24 or 24…35" for two intervals.</summary>
    public override string ToString() => string.Join(" or ", Intervals().Select(i => i.Min == i.Max ? F(i.Min) : $"{F(i.Min)}…{F(i.Max)}"));

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static double Slack(double v) => 1e-6 * Math.Max(1, Math.Abs(v));
}
