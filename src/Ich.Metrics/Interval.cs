namespace Ich.Metrics;

/// <summary>A two-sided confidence interval [Low, High] on the same scale as its estimate.</summary>
public readonly record struct Interval(double Low, double High)
{
    public override string ToString() => FormattableString.Invariant($"{Low:0.0000}-{High:0.0000}");
}
