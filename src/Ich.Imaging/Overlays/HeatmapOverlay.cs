namespace Ich.Imaging.Overlays;

/// <summary>Options of <see cref="HeatmapOverlay.Compose"/>.</summary>
/// <param name="Opacity">Opacity of the colour map where the heat is 1 (0..1).</param>
/// <param name="Threshold">Heat at or below which nothing is drawn (keeps cold areas plain grey).</param>
/// <param name="ScaleOpacityByHeat">When true, opacity grows linearly with heat above the threshold.</param>
public sealed record OverlayOptions(float Opacity = 0.45f, float Threshold = 0.2f, bool ScaleOpacityByHeat = true);

/// <summary>
/// Draws a saliency (Grad-CAM) map over a slice: the grey background (e.g. the brain window, [0, 1])
/// with the jet colour of the heat map alpha-blended on top. Pure arrays in, RGBA bytes out.
/// </summary>
public static class HeatmapOverlay
{
    /// <summary>
    /// Composes background grey [0, 1] and heat [0, 1] planes (both row-major width × height) into
    /// opaque RGBA bytes (4 per pixel). Resample the heat map to the slice size first
    /// (<see cref="Resample.Bilinear"/>).
    /// </summary>
    public static byte[] Compose(ReadOnlySpan<float> grey, ReadOnlySpan<float> heat, int width, int height, OverlayOptions? options = null)
    {
        options ??= new OverlayOptions();
        var n = width * height;
        if (grey.Length != n) throw new ArgumentException($"grey has {grey.Length} values, expected {n}", nameof(grey));
        if (heat.Length != n) throw new ArgumentException($"heat has {heat.Length} values, expected {n}", nameof(heat));
        var rgba = new byte[n * 4];
        var range = 1f - options.Threshold;
        for (var i = 0; i < n; i++)
        {
            var g = float.IsNaN(grey[i]) ? 0f : Math.Clamp(grey[i], 0f, 1f) * 255f;
            var h = float.IsNaN(heat[i]) ? 0f : Math.Clamp(heat[i], 0f, 1f);
            float a = 0;
            if (h > options.Threshold)
                a = options.ScaleOpacityByHeat && range > 0 ? options.Opacity * (h - options.Threshold) / range : options.Opacity;
            var (r, gg, b) = ColorMap.Jet(h);
            rgba[4 * i] = Blend(g, r, a);
            rgba[4 * i + 1] = Blend(g, gg, a);
            rgba[4 * i + 2] = Blend(g, b, a);
            rgba[4 * i + 3] = 255;
        }
        return rgba;
    }

    /// <summary>
    /// The standard Grad-CAM picture of one slice: brain window of <paramref name="hu"/> as background,
    /// <paramref name="heat"/> (any size, [0, 1]) resampled to the slice size and overlaid.
    /// </summary>
    public static byte[] ComposeOnSlice(Ich.Core.Scans.HuImage hu, float[] heat, int heatWidth, int heatHeight, OverlayOptions? options = null, HuWindow? background = null)
    {
        var grey = (background ?? HuWindow.Brain).Apply(hu.Pixels);
        var resized = heatWidth == hu.Width && heatHeight == hu.Height
            ? heat
            : Resample.Bilinear(heat, heatWidth, heatHeight, hu.Width, hu.Height);
        return Compose(grey, resized, hu.Width, hu.Height, options);
    }

    private static byte Blend(float under, byte over, float alpha) =>
        (byte)MathF.Round(under * (1 - alpha) + over * alpha);
}
