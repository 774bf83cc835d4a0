namespace Ich.Synth.Rendering;

/// <summary>
/// The <see cref="PhantomLabelRule.Visible"/> rule: a mask pixel is kept only where the noise-free reconstructed image
/// reads as blood (at most <see cref="PhantomLabelRules.VisibleBloodMaxHu"/>). Why: a slab that is half blood and half
/// skull, or a one-pixel layer under the inner table after the kernel blur, renders hundreds of HU — bone to a reader
/// and to a network — and labelling it teaches a detector to fire on the skull's edge.
/// </summary>
public static class VisibleBlood
{
    /// <summary>
    /// <paramref name="slice"/> with its mask cut to the pixels of <paramref name="reconstructed"/> (the slab after
    /// <see cref="Artifacts.Reconstruct"/>, before <see cref="Artifacts.Degrade"/>) that read as blood.
    /// </summary>
    public static RenderedSlice Keep(RenderedSlice slice, float[] reconstructed)
    {
        if (reconstructed.Length != slice.Mask.Length)
            throw new ArgumentException($"image of {reconstructed.Length} pixels for a mask of {slice.Mask.Length}", nameof(reconstructed));
        var mask = (byte[])slice.Mask.Clone();
        for (var i = 0; i < mask.Length; i++)
            if (mask[i] != 0 && !(reconstructed[i] <= PhantomLabelRules.VisibleBloodMaxHu)) mask[i] = 0;
        return slice with { Mask = mask, MaskPixels = SliceRenderer.CountPixels(mask) };
    }
}
