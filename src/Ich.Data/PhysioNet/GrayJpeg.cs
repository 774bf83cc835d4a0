using Ich.Core.Errors;
using SkiaSharp;

namespace Ich.Data.PhysioNet;

/// <summary>Decodes an 8-bit grayscale JPG (or PNG) to a row-major byte plane with SkiaSharp.</summary>
public static class GrayJpeg
{
    /// <summary>The gray levels and size; colour files are converted to gray by SkiaSharp.</summary>
    public static (byte[] Pixels, int Width, int Height) Decode(string path)
    {
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new ImageFormatException($"cannot read: {e.Message}", path, e); }

        using var encoded = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(encoded)
                          ?? throw new ImageFormatException("not a decodable JPG/PNG image", path);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        var pixels = new byte[info.Width * info.Height];
        unsafe
        {
            fixed (byte* p = pixels)
            {
                var result = codec.GetPixels(info, (IntPtr)p);
                if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
                    throw new ImageFormatException($"decoding failed: {result}", path);
                if (result == SKCodecResult.IncompleteInput)
                    throw new ImageFormatException("truncated image (incomplete input)", path);
            }
        }
        return (pixels, info.Width, info.Height);
    }
}
