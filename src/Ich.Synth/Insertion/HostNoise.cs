namespace Ich.Synth.Insertion;

/// <summary>
/// The quantum-noise level of a host slice, estimated in brain tissue: horizontal neighbour differences
/// between pixels that are both parenchyma (<see cref="MinHu"/>–<see cref="MaxHu"/> HU, at least
/// <see cref="MinDepthMm"/> inside the inner table), σ = 1.4826 · MAD(d) / √2. The median absolute
/// deviation ignores the few differences that straddle a gray/white or sulcal edge, and the /√2 turns the
/// spread of a difference of two pixels into that of one pixel — the same per-pixel spread the inserted
/// white noise then gets, so the bleed's graininess matches its surroundings.
/// </summary>
public static class HostNoise
{
    public const float MinHu = 15, MaxHu = 50;
    public const float MinDepthMm = 5;
    /// <summary>Fewer pixel pairs than this and the estimate is not trusted.</summary>
    public const int MinPairs = 200;

    /// <summary>σ in HU, or null when the slice has too little parenchyma to estimate it.</summary>
    public static double? Estimate(HostAnatomy a)
    {
        var px = a.Image.Pixels;
        var diffs = new List<float>();
        for (var y = 0; y < a.Height; y++)
            for (var x = 0; x + 1 < a.Width; x++)
            {
                var i = y * a.Width + x;
                if (Tissue(a, i) && Tissue(a, i + 1)) diffs.Add(px[i + 1] - px[i]);
            }
        if (diffs.Count < MinPairs) return null;
        var median = Median(diffs);
        for (var k = 0; k < diffs.Count; k++) diffs[k] = Math.Abs(diffs[k] - median);
        return 1.4826 * Median(diffs) / Math.Sqrt(2);
    }

    private static bool Tissue(HostAnatomy a, int i) =>
        a.Intracranial[i] && a.DistanceMm[i] >= MinDepthMm && a.Image.Pixels[i] is >= MinHu and <= MaxHu;

    private static float Median(List<float> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5f * (sorted[m - 1] + sorted[m]);
    }
}
