namespace Ich.Metrics;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014) as a counter-based generator: output k is a pure function
/// of (seed, k), so bootstrap replicates can run in parallel and still draw exactly the numbers a
/// sequential run (or the Python fixture script) draws. Part of the documented bootstrap contract.
/// </summary>
public static class SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The k-th output (k ≥ 1) of the stream started at <paramref name="seed"/>.</summary>
    public static ulong At(ulong seed, ulong k)
    {
        var z = unchecked(seed + k * Gamma);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>An index in [0, count) from a 64-bit output: ⌊r·count / 2⁶⁴⌋ (no modulo bias worth naming).</summary>
    public static int ToIndex(ulong r, int count) => (int)Math.BigMul(r, (ulong)count, out _);
}
