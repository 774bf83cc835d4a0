using SkiaSharp;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>Decodes a PNG with SkiaSharp (an independent decoder, not our writer) and describes its pixels.</summary>
internal sealed record PngCheck(int Width, int Height, int DistinctGrays, double DarkFraction, double BrightFraction)
{
    public static PngCheck Of(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 8 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }),
            $"{path} does not start with the PNG signature");
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.True(codec is not null, $"{path}: SkiaSharp cannot read it as an image");
        Assert.Equal(SKEncodedImageFormat.Png, codec!.EncodedFormat);
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.True(bitmap is not null, $"{path}: SkiaSharp cannot decode the PNG");
        var grays = new HashSet<int>();
        long dark = 0, bright = 0;
        var pixels = bitmap!.Pixels;
        foreach (var c in pixels)
        {
            var luma = (c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000;
            grays.Add(luma);
            if (luma < 32) dark++;
            if (luma > 223) bright++;
        }
        return new PngCheck(bitmap.Width, bitmap.Height, grays.Count, (double)dark / pixels.Length, (double)bright / pixels.Length);
    }
}
