namespace Ich.Data.PhysioNet;

/// <summary>
/// How the bone-window gray level of a pixel relates to its brain-window gray level on pixels both
/// windows resolve: <c>gray_bone = Slope · gray_brain + Intercept</c>. With the README's nominal
/// windows (brain 40/120: gray 0 = −20 HU, 255 = 100 HU; bone 700/3200: gray 0 = −900 HU,
/// 255 = 2300 HU) this is Slope = 120/3200 = 0.0375 and Intercept = 880·255/3200 = 70.125.
/// </summary>
public readonly record struct BoneMapping(double Slope, double Intercept)
{
    public static readonly BoneMapping Nominal = new(120.0 / 3200.0, 880.0 * 255.0 / 3200.0);

    /// <summary>HU at the bone-window gray level (through the brain window's exact HU scale).</summary>
    public double BoneGrayToHu(double boneGray) => WindowPairHu.BrainGrayToHu((boneGray - Intercept) / Slope);

    /// <summary>The bone window this mapping implies, as (lowest HU at gray 0, HU per gray level).</summary>
    public (double LowHu, double HuPerGray) ImpliedBoneWindow =>
        (BoneGrayToHu(0), BoneGrayToHu(1) - BoneGrayToHu(0));
}

/// <summary>
/// Rebuilds an approximate HU image from the brain- and bone-window JPGs of one slice.
/// Brain-window gray g maps to HU −20 + g·120/255 (≈ 0.47 HU per level); the bone window, through the
/// scan's <see cref="BoneMapping"/>, covers the rest at ≈ 12.5 HU per level.
/// </summary>
public static class WindowPairHu
{
    public const double BrainLowHu = -20;
    public const double BrainHighHu = 100;

    /// <summary>
    /// Where the brain window says "inside" but the bone window disagrees by more than this many HU
    /// (beyond the brain window's ends), the bone value wins: JPEG ringing next to skull or air can leave
    /// unsaturated brain-window pixels that are really bone or air. About 4 nominal bone gray levels.
    /// </summary>
    public const double DisagreementHu = 50;

    /// <summary>HU of a brain-window gray level (0..255; fractional levels allowed).</summary>
    public static double BrainGrayToHu(double gray) => BrainLowHu + gray * (BrainHighHu - BrainLowHu) / 255.0;

    /// <summary>
    /// HU of one pixel: the brain window where it is not saturated (and the bone window agrees within
    /// <see cref="DisagreementHu"/>), else the bone window, bounded by what the saturated brain window
    /// proves (at most −20 HU where brain gray is 0, at least 100 HU where it is 255).
    /// </summary>
    public static float PixelHu(byte brainGray, byte boneGray, BoneMapping mapping)
    {
        var bone = mapping.BoneGrayToHu(boneGray);
        if (brainGray == 0) return (float)Math.Min(bone, BrainLowHu);
        if (brainGray == 255) return (float)Math.Max(bone, BrainHighHu);
        if (bone < BrainLowHu - DisagreementHu || bone > BrainHighHu + DisagreementHu) return (float)bone;
        return (float)BrainGrayToHu(brainGray);
    }

    /// <summary>HU plane (row-major, same size as the inputs) from a brain/bone gray pair.</summary>
    public static float[] Rebuild(ReadOnlySpan<byte> brain, ReadOnlySpan<byte> bone, BoneMapping mapping)
    {
        if (brain.Length != bone.Length) throw new ArgumentException($"brain has {brain.Length} pixels, bone {bone.Length}");
        return Rebuild(brain, bone, Lookup(mapping));
    }

    /// <summary>HU plane from a gray pair through a table made by <see cref="Lookup"/> (reuse it for a whole scan).</summary>
    public static float[] Rebuild(ReadOnlySpan<byte> brain, ReadOnlySpan<byte> bone, float[] lookup)
    {
        if (brain.Length != bone.Length) throw new ArgumentException($"brain has {brain.Length} pixels, bone {bone.Length}");
        if (lookup.Length != 256 * 256) throw new ArgumentException("lookup must have 65536 entries", nameof(lookup));
        var hu = new float[brain.Length];
        for (var i = 0; i < hu.Length; i++) hu[i] = lookup[(brain[i] << 8) | bone[i]];
        return hu;
    }

    /// <summary>
    /// 256×256 table of <see cref="PixelHu"/> indexed by (brain &lt;&lt; 8) | bone: every gray pair has one
    /// answer, so a scan computes it once instead of per pixel.
    /// </summary>
    public static float[] Lookup(BoneMapping mapping)
    {
        var table = new float[256 * 256];
        for (var b = 0; b < 256; b++)
        for (var o = 0; o < 256; o++)
            table[(b << 8) | o] = PixelHu((byte)b, (byte)o, mapping);
        return table;
    }
}
