using Ich.Core.Scans;

namespace Ich.Imaging;

/// <summary>PNG pictures of slices and network inputs, so a person can look at what the model sees.</summary>
public static class SlicePreview
{
    /// <summary>Writes one HU slice through a window as an 8-bit grey PNG (full resolution).</summary>
    public static void WriteWindow(string path, HuImage hu, HuWindow window) =>
        PngFile.WriteGray(path, PngFile.ToGray8(window.Apply(hu.Pixels)), hu.Width, hu.Height);

    /// <summary>
    /// Writes a [3, size, size] network input (channels in [0, 1]) as an RGB PNG: channel 0 → red,
    /// 1 → green, 2 → blue (for the paper's input: brain, subdural, bone).
    /// </summary>
    public static void WriteNetworkInputRgb(string path, float[] chw, int size)
    {
        PngFile.WriteRgba(path, NetworkInputToRgba(chw, size), size, size);
    }

    /// <summary>Writes channel <paramref name="channel"/> of a [3, size, size] network input as a grey PNG.</summary>
    public static void WriteNetworkInputChannel(string path, float[] chw, int size, int channel)
    {
        CheckChw(chw, size);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, NetworkInput.Channels);
        var plane = size * size;
        PngFile.WriteGray(path, PngFile.ToGray8(chw.AsSpan(channel * plane, plane)), size, size);
    }

    /// <summary>RGBA bytes of a [3, size, size] input (channel c → colour component c, alpha 255).</summary>
    public static byte[] NetworkInputToRgba(float[] chw, int size)
    {
        CheckChw(chw, size);
        var plane = size * size;
        var rgba = new byte[plane * 4];
        for (var c = 0; c < 3; c++)
        {
            var grey = PngFile.ToGray8(chw.AsSpan(c * plane, plane));
            for (var i = 0; i < plane; i++) rgba[4 * i + c] = grey[i];
        }
        for (var i = 0; i < plane; i++) rgba[4 * i + 3] = 255;
        return rgba;
    }

    private static void CheckChw(float[] chw, int size)
    {
        ArgumentNullException.ThrowIfNull(chw);
        if (chw.Length != NetworkInput.Channels * size * size)
            throw new ArgumentException($"expected 3×{size}×{size} = {3 * size * size} values, got {chw.Length}", nameof(chw));
    }
}
