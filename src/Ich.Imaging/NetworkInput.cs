using Ich.Core.Scans;

namespace Ich.Imaging;

/// <summary>
/// Builds what the CNN sees for one slice: three windows (brain 40/80, subdural 80/200, bone 600/2800)
/// of the same slice, each mapped to [0, 1], resized to <c>size × size</c>.
/// Layout: channel-major float[3 * size * size] ([C, H, W]). Deterministic.
/// </summary>
public static class NetworkInput
{
    public const int Channels = 3;

    /// <summary>Three-window [3, size, size] image of one HU slice.</summary>
    public static float[] FromHu(HuImage hu, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        // Resample HU first (box pre-filter when shrinking, so thin bright structures are not aliased away),
        // then window: windowing after resampling keeps the three channels geometrically identical.
        var resized = Resample.Bilinear(hu.Pixels, hu.Width, hu.Height, size, size);
        var plane = size * size;
        var result = new float[Channels * plane];
        for (var c = 0; c < Channels; c++)
        {
            var w = HuWindow.PaperChannels[c];
            var offset = c * plane;
            for (var i = 0; i < plane; i++) result[offset + i] = w.Apply(resized[i]);
        }
        return result;
    }
}
