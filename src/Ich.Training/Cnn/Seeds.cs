namespace Ich.Training.Cnn;

/// <summary>Stable seed derivation (SplitMix64 over the parts): same parts → same seed in every process.</summary>
public static class Seeds
{
    public static int Derive(params long[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15;
        foreach (var p in parts)
        {
            h ^= unchecked((ulong)p);
            h = unchecked(h + 0x9E3779B97F4A7C15);
            var z = h;
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EB);
            h = z ^ (z >> 31);
        }
        return (int)(h & 0x7FFFFFFF);
    }
}
