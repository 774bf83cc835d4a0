namespace Ich.Model.Explain;

/// <summary>
/// How well a saliency map points at a lesion mask (both row-major, same size): the pointing game
/// (is the map's maximum inside the mask?) and the share of the map's mass inside the mask.
/// </summary>
public static class SaliencyAgreement
{
    /// <summary>
    /// True when a pixel holding the map's maximum lies inside the mask (ties: any maximal pixel counts,
    /// as in Zhang et al.'s pointing game). False for an all-zero map.
    /// </summary>
    public static bool PointingHit(ReadOnlySpan<float> map, ReadOnlySpan<bool> mask)
    {
        Check(map.Length, mask.Length);
        var max = 0f;
        foreach (var v in map) if (v > max) max = v;
        if (max <= 0) return false;
        for (var i = 0; i < map.Length; i++)
            if (map[i] == max && mask[i]) return true;
        return false;
    }

    /// <summary>Σ map inside the mask / Σ map (map values below 0 count as 0); NaN for an all-zero map.</summary>
    public static double MassInside(ReadOnlySpan<float> map, ReadOnlySpan<bool> mask)
    {
        Check(map.Length, mask.Length);
        double inside = 0, total = 0;
        for (var i = 0; i < map.Length; i++)
        {
            var v = Math.Max(0f, map[i]);
            total += v;
            if (mask[i]) inside += v;
        }
        return total > 0 ? inside / total : double.NaN;
    }

    private static void Check(int a, int b)
    {
        if (a != b) throw new ArgumentException($"map has {a} pixels, mask {b}");
    }
}
