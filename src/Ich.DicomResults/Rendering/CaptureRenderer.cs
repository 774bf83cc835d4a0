using System.Globalization;
using Ich.DicomResults.Input;
using Ich.Imaging.Overlays;
using SkiaSharp;

namespace Ich.DicomResults.Rendering;

/// <summary>An RGB picture (3 bytes per pixel, row-major) ready to become Secondary Capture pixel data.</summary>
internal sealed record RgbImage(int Width, int Height, byte[] Rgb);

/// <summary>
/// Renders one capture: Ich.Imaging's <see cref="HeatmapOverlay"/> (brain window 40/80 in grey, jet colour of the
/// absolute 0..1 saliency above 0.2), enlarged by an integer factor when the slice is small so text stays
/// legible, a side panel with Ich.Imaging's <see cref="LegendStrip"/> and its scale, and the burned-in words
/// "NOT FOR DIAGNOSTIC USE" plus the slice caption.
/// </summary>
internal static class CaptureRenderer
{
    public const string Warning = "NOT FOR DIAGNOSTIC USE";
    private static readonly OverlayOptions Options = new(Opacity: 0.65f, Threshold: 0.2f);
    private const int MinImageSide = 384;

    /// <summary>Height in pixels of the warning band at the top of the image area.</summary>
    public static int BannerHeight(int imageHeight) => Math.Max(18, imageHeight / 16);

    public static RgbImage Render(SliceImage slice, string sliceLabel)
    {
        var hu = slice.Hu;
        var composed = HeatmapOverlay.ComposeOnSlice(hu, slice.Saliency, slice.SaliencyWidth, slice.SaliencyHeight, Options);
        var scale = Math.Max(1, (MinImageSide + Math.Max(hu.Width, hu.Height) - 1) / Math.Max(hu.Width, hu.Height));
        int w = hu.Width * scale, h = hu.Height * scale, panel = Math.Max(88, w / 5), stride = w + panel;

        var rgba = new byte[stride * h * 4];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < stride; x++)
        {
            var o = (y * stride + x) * 4;
            if (x < w)
                Array.Copy(composed, ((y / scale) * hu.Width + x / scale) * 4, rgba, o, 4);
            else
            {
                rgba[o] = rgba[o + 1] = rgba[o + 2] = 24;
                rgba[o + 3] = 255;
            }
        }
        var banner = BannerHeight(h);
        var (top, bottom) = (banner + 28, h - Math.Max(24, h / 10));
        var barWidth = Math.Max(12, panel / 6);
        var bar = LegendStrip.Vertical(barWidth, bottom - top + 1);
        for (var y = 0; y <= bottom - top; y++)
            Array.Copy(bar, y * barWidth * 4, rgba, ((top + y) * stride + w + 10) * 4, barWidth * 4);

        using var bitmap = new SKBitmap(new SKImageInfo(stride, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using (var canvas = new SKCanvas(bitmap))
            DrawText(canvas, w, h, banner, top, bottom, barWidth, sliceLabel, slice.Caption);
        var pixels = bitmap.Bytes; // RGBA, opaque
        var rgb = new byte[stride * h * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = pixels[j];
            rgb[i + 1] = pixels[j + 1];
            rgb[i + 2] = pixels[j + 2];
        }
        return new RgbImage(stride, h, rgb);
    }

    private static void DrawText(SKCanvas canvas, int w, int h, int banner, int top, int bottom, int barWidth,
        string sliceLabel, string? caption)
    {
        using var bannerPaint = new SKPaint { Color = new SKColor(0, 0, 0) };
        canvas.DrawRect(0, 0, w, banner, bannerPaint);
        using var warningFont = new SKFont(CaptionFont.Typeface, banner * 0.72f);
        using var yellow = new SKPaint { Color = new SKColor(255, 230, 0), IsAntialias = true };
        var textWidth = warningFont.MeasureText(Warning);
        canvas.DrawText(Warning, Math.Max(2, (w - textWidth) / 2), banner * 0.78f, warningFont, yellow);

        using var font = new SKFont(CaptionFont.Typeface, Math.Clamp(h / 32f, 10f, 16f));
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText(sliceLabel, 4, h - 6 - (caption is null ? 0 : font.Size + 2), font, white);
        if (caption is not null) canvas.DrawText(caption, 4, h - 6, font, white);

        var tx = w + 10 + barWidth + 4;
        canvas.DrawText("saliency", w + 6, banner + font.Size + 4, font, white);
        foreach (var v in new[] { 1.0f, 0.5f, 0.0f })
            canvas.DrawText(v.ToString("0.0", CultureInfo.InvariantCulture), tx, bottom - (bottom - top) * v + font.Size / 2, font, white);
    }
}
