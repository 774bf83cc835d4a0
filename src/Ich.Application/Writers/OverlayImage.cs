using System.Globalization;
using Ich.Core;
using Ich.Core.Scans;
using Ich.Imaging.Overlays;
using SkiaSharp;

namespace Ich.Application.Writers;

/// <summary>
/// A Grad-CAM overlay as PNG: Ich.Imaging's <see cref="HeatmapOverlay"/> (brain window 40/80 in grey, jet
/// colour above a heat of 0.2, opacity growing with heat) and, on the right, a legend panel with
/// Ich.Imaging's <see cref="LegendStrip"/> colour bar (ticks at 0, 0.25, 0.5, 0.75, 1), the class and the probability.
/// The same rendering shows a predicted mask (blood probability in [0, 1]) under its own title.
/// </summary>
internal static class OverlayImage
{
    private const int LegendWidth = 96;
    private const int BarWidth = 16;
    private static readonly OverlayOptions Options = new(Opacity: 0.65f, Threshold: 0.2f);

    /// <param name="hu">The slice.</param>
    /// <param name="map">[Height, Width] saliency in [0, 1], same size as the slice.</param>
    /// <param name="classIndex">Class of the map.</param>
    /// <param name="probability">The slice's final probability for that class.</param>
    public static byte[] Png(HuImage hu, float[] map, int classIndex, float probability) =>
        Png(hu, map, Options, "Grad-CAM", $"{HemorrhageClasses.Abbreviations[classIndex]} p={probability.ToString("0.00", CultureInfo.InvariantCulture)}");

    /// <summary>
    /// The segmentation head's predicted mask of a slice (blood probability, [Height, Width] in [0, 1]), drawn with the
    /// threshold the study viewer's mask layer shares (<see cref="PredictedMaskDisplay"/>).
    /// </summary>
    /// <param name="anyProbability">The slice's final probability of any hemorrhage.</param>
    public static byte[] MaskPng(HuImage hu, float[] mask, float anyProbability) =>
        Png(hu, mask, PredictedMaskDisplay.Options, "pred. mask", $"any p={anyProbability.ToString("0.00", CultureInfo.InvariantCulture)}");

    private static byte[] Png(HuImage hu, float[] map, OverlayOptions options, string title, string caption)
    {
        if (map.Length != hu.Width * hu.Height) throw new ArgumentException("map and slice differ in size", nameof(map));
        int w = hu.Width, h = hu.Height, stride = w + LegendWidth;
        var composed = HeatmapOverlay.ComposeOnSlice(hu, map, w, h, options);
        var rgba = new byte[stride * h * 4];
        for (var y = 0; y < h; y++) Array.Copy(composed, y * w * 4, rgba, y * stride * 4, w * 4);
        for (var y = 0; y < h; y++)
        for (var x = w; x < stride; x++)
        {
            var o = (y * stride + x) * 4;
            rgba[o] = rgba[o + 1] = rgba[o + 2] = 24;
            rgba[o + 3] = 255;
        }
        var (top, bottom) = (Math.Max(36, h / 8), h - Math.Max(20, h / 10));
        var bar = LegendStrip.Vertical(BarWidth, bottom - top + 1);
        for (var y = 0; y <= bottom - top; y++) Array.Copy(bar, y * BarWidth * 4, rgba, ((top + y) * stride + w + 12) * 4, BarWidth * 4);

        using var bitmap = new SKBitmap(new SKImageInfo(stride, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using (var canvas = new SKCanvas(bitmap)) DrawText(canvas, w, top, bottom, h, title, caption);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void DrawText(SKCanvas canvas, int x0, int top, int bottom, int h, string title, string caption)
    {
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, Math.Clamp(h / 40f, 9f, 14f));
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        var tx = x0 + 12 + BarWidth + 4;
        foreach (var v in new[] { 1.0f, 0.5f, 0.0f })
            canvas.DrawText(v.ToString("0.0", CultureInfo.InvariantCulture), tx, bottom - (bottom - top) * v + font.Size / 2, font, text);
        canvas.DrawText(title, x0 + 6, font.Size + 2, font, text);
        canvas.DrawText(caption, x0 + 6, 2 * font.Size + 6, font, text);
    }
}
