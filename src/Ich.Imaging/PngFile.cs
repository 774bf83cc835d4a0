using SkiaSharp;

namespace Ich.Imaging;

/// <summary>
/// PNG output of 8-bit grey and RGB(A) images (SkiaSharp encoder; lossless, deterministic) and of
/// 16-bit greyscale images (<see cref="WriteGray16"/>, own chunk writer: SkiaSharp has no 16-bit grey encoder).
/// </summary>
public static class PngFile
{
    /// <summary>Writes an 8-bit greyscale image (row-major, width × height bytes).</summary>
    public static void WriteGray(string path, byte[] pixels, int width, int height)
    {
        if (pixels.Length != width * height) throw new ArgumentException("pixel count does not match size", nameof(pixels));
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        Write(path, info, pixels, width);
    }

    /// <summary>Writes an RGBA image (row-major, 4 bytes per pixel: R, G, B, A).</summary>
    public static void WriteRgba(string path, byte[] rgba, int width, int height)
    {
        if (rgba.Length != width * height * 4) throw new ArgumentException("pixel count does not match size", nameof(rgba));
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        Write(path, info, rgba, width * 4);
    }

    /// <summary>
    /// Writes a 16-bit greyscale PNG (colour type 0, bit depth 16; row-major, width × height samples).
    /// Each row uses the Sub filter, which shrinks smooth maps such as Grad-CAM several-fold.
    /// </summary>
    public static void WriteGray16(string path, ushort[] pixels, int width, int height)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        Png16Encoder.WriteGray16(stream, pixels, width, height);
    }

    /// <summary>Maps a [0,1] float plane to 16-bit grey (0 → 0, 1 → 65535; clipped, rounded, NaN → 0).</summary>
    public static ushort[] ToGray16(ReadOnlySpan<float> unit)
    {
        var result = new ushort[unit.Length];
        for (var i = 0; i < unit.Length; i++)
            result[i] = float.IsNaN(unit[i]) ? (ushort)0 : (ushort)Math.Round(Math.Clamp(unit[i], 0f, 1f) * 65535.0);
        return result;
    }

    /// <summary>Maps a [0,1] float plane to 8-bit grey (clipped, rounded).</summary>
    public static byte[] ToGray8(ReadOnlySpan<float> unit)
    {
        var result = new byte[unit.Length];
        for (var i = 0; i < unit.Length; i++) result[i] = (byte)Math.Round(Math.Clamp(unit[i], 0f, 1f) * 255f);
        return result;
    }

    private static void Write(string path, SKImageInfo info, byte[] pixels, int rowBytes)
    {
        using var bitmap = new SKBitmap();
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            if (!bitmap.InstallPixels(info, handle.AddrOfPinnedObject(), rowBytes))
                throw new InvalidOperationException("SkiaSharp refused the pixel buffer");
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
                             ?? throw new InvalidOperationException("PNG encoding failed");
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            using var stream = File.Create(path);
            data.SaveTo(stream);
        }
        finally { handle.Free(); }
    }
}
