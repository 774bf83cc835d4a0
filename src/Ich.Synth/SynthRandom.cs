namespace Ich.Synth;

/// <summary>
/// A small, fast, seedable generator (SplitMix64) whose sequence never changes between .NET versions,
/// so that a phantom seed always produces the same bytes. Not thread-safe: one instance per scan or slice.
/// </summary>
public sealed class SynthRandom
{
    private ulong _state;

    public SynthRandom(ulong seed) => _state = seed;

    /// <summary>A generator for a sub-stream identified by a seed and a path of integers (scan, slice, ...).</summary>
    public static SynthRandom For(ulong seed, params long[] path)
    {
        var s = Mix(seed ^ 0x5DEECE66DUL);
        foreach (var p in path) s = Mix(s ^ (ulong)p * 0xD1B54A32D192ED03UL);
        return new SynthRandom(s);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public float Uniform(double min, double max) => (float)(min + (max - min) * NextDouble());

    public int Int(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public float Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>
    /// Approximately standard normal, fast: the centred sum of four uniforms scaled to unit variance
    /// (Irwin–Hall). Used for pixel noise, which is smoothed afterwards anyway.
    /// </summary>
    public float FastNormal()
    {
        var a = NextULong();
        var b = NextULong();
        var s = (a & 0xFFFFFFFF) + (a >> 32) + (b & 0xFFFFFFFF) + (b >> 32); // sum of 4 uniforms in [0, 2^32)
        return (float)((s * (1.0 / 4294967296.0) - 2.0) * 1.7320508075688772);
    }

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights) total += w;
        var x = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>A random unit vector.</summary>
    public System.Numerics.Vector3 UnitVector()
    {
        var z = Uniform(-1, 1);
        var a = Uniform(0, 2 * Math.PI);
        var r = MathF.Sqrt(1 - z * z);
        return new(r * MathF.Cos(a), r * MathF.Sin(a), z);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
