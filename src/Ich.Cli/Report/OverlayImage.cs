using Ich.Core;
using Ich.Core.Scans;
using Ich.Imaging;
using SkiaSharp;

namespace Ich.Cli.Report;

/// <summary>
/// A Grad-CAM overlay as PNG: the slice in the brain window (40/80) in grey, the saliency map in the jet
/// colour map blended on top where it is ≥ 0.2 (opacity grows with the value), and a legend strip on
/// the right (colour bar 0–1, class, probability). Interim compositor until Ich.Imaging's is merged.
/// </summary>
internal static class OverlayImage
{
    private const int LegendWidth = 96;
    private const float ShowFrom = 0.2f;

    /// <param name="hu">The slice.</param>
    /// <param name="map">[Height, Width] saliency in [0, 1], same size as the slice.</param>
    /// <param name="classIndex">Class of the map.</param>
    /// <param name="probability">The slice's final probability for that class.</param>
    public static byte[] Png(HuImage hu, float[] map, int classIndex, float probability)
    {
        if (map.Length != hu.Width * hu.Height) throw new ArgumentException("map and slice differ in size", nameof(map));
        int w = hu.Width, h = hu.Height;
        var stride = w + LegendWidth;
        var rgba = new byte[stride * h * 4];
        var brain = HuWindow.Brain;
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var i = y * w + x;
            var grey = brain.Apply(hu.Pixels[i]) * 255f;
            float r = grey, g = grey, b = grey;
            var v = map[i];
            if (v >= ShowFrom)
            {
                var alpha = 0.25f + 0.4f * (v - ShowFrom) / (1 - ShowFrom);
                var (cr, cg, cb) = ColorMap.Jet(v);
                r = r * (1 - alpha) + cr * alpha;
                g = g * (1 - alpha) + cg * alpha;
                b = b * (1 - alpha) + cb * alpha;
            }
            var o = (y * stride + x) * 4;
            rgba[o] = (byte)r; rgba[o + 1] = (byte)g; rgba[o + 2] = (byte)b; rgba[o + 3] = 255;
        }
        using var bitmap = new SKBitmap(new SKImageInfo(stride, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using (var canvas = new SKCanvas(bitmap)) DrawLegend(canvas, w, h, classIndex, probability);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void DrawLegend(SKCanvas canvas, int x0, int h, int classIndex, float probability)
    {
        using var background = new SKPaint { Color = new SKColor(24, 24, 24) };
        canvas.DrawRect(x0, 0, LegendWidth, h, background);
        var top = Math.Max(36, h / 8);
        var bottom = h - Math.Max(20, h / 10);
        var barX = x0 + 12;
        using var line = new SKPaint();
        for (var y = top; y <= bottom; y++)
        {
            var (r, g, b) = ColorMap.Jet(1f - (float)(y - top) / Math.Max(1, bottom - top));
            line.Color = new SKColor(r, g, b);
            canvas.DrawLine(barX, y, barX + 16, y, line);
        }
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, Math.Clamp(h / 40f, 9f, 14f));
        using var text = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText("1.0", barX + 20, top + font.Size / 2, font, text);
        canvas.DrawText("0.5", barX + 20, (top + bottom) / 2f + font.Size / 2, font, text);
        canvas.DrawText(ShowFrom.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), barX + 20,
            bottom - (bottom - top) * ShowFrom + font.Size / 2, font, text);
        canvas.DrawText("Grad-CAM", x0 + 6, font.Size + 2, font, text);
        canvas.DrawText($"{HemorrhageClasses.Abbreviations[classIndex]} p={probability:0.00}", x0 + 6, 2 * font.Size + 6, font, text);
    }
}
