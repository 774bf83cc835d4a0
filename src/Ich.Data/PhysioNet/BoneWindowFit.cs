namespace Ich.Data.PhysioNet;

/// <summary>
/// Fits a scan's <see cref="BoneMapping"/> on the pixels both windows resolve. Per-pixel regression is
/// biased (JPEG noise in the brain gray levels flattens the slope by ~10 %), so the fit uses means of
/// 8×8 blocks lying wholly inside the brain window's unsaturated range [5, 250]: averaging removes
/// most of the noise while tissue contrast (CSF, grey/white matter, blood) keeps the spread.
/// Measured on this export: slope 0.037–0.040 and intercept ≈ 70.1 for 54 patients (nominal
/// 0.0375/70.125), intercept ≈ 62.8 for 050, slope ≈ 0.081 for 081.
/// </summary>
public static class BoneWindowFit
{
    public const int Block = 8;
    public const byte LowGray = 5;
    public const byte HighGray = 250;

    /// <summary>Fewest blocks for a fit; below it the caller should use the nominal mapping and say so.</summary>
    public const int MinBlocks = 200;

    /// <summary>Result: the mapping, or null when there were too few blocks (or a degenerate fit); and the block count.</summary>
    public static (BoneMapping? Mapping, int Blocks) Fit(IEnumerable<(byte[] Brain, byte[] Bone)> slices, int width, int height)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var (brain, bone) in slices)
        {
            if (brain.Length != width * height || bone.Length != width * height)
                throw new ArgumentException("slice size does not match width × height");
            for (var by = 0; by + Block <= height; by += Block)
            for (var bx = 0; bx + Block <= width; bx += Block)
            {
                long sumBrain = 0, sumBone = 0;
                var inside = true;
                for (var y = by; y < by + Block && inside; y++)
                {
                    var row = y * width;
                    for (var x = bx; x < bx + Block; x++)
                    {
                        var g = brain[row + x];
                        if (g < LowGray || g > HighGray) { inside = false; break; }
                        sumBrain += g;
                        sumBone += bone[row + x];
                    }
                }
                if (!inside) continue;
                var mx = sumBrain / (double)(Block * Block);
                var my = sumBone / (double)(Block * Block);
                n++; sx += mx; sy += my; sxx += mx * mx; sxy += mx * my;
            }
        }
        var blocks = (int)n;
        if (blocks < MinBlocks) return (null, blocks);
        var varX = sxx - sx * sx / n;
        if (varX <= 0) return (null, blocks);
        var slope = (sxy - sx * sy / n) / varX;
        if (!(slope > 0) || double.IsInfinity(slope)) return (null, blocks);
        var intercept = (sy - slope * sx) / n;
        return (new BoneMapping(slope, intercept), blocks);
    }
}
