using Ich.Core.Scans;

namespace Ich.Imaging;

/// <summary>How the three input channels of the 2D CNN are built from a scan.</summary>
public enum ChannelMode
{
    /// <summary>The paper's input: brain (40/80), subdural (80/200) and bone (600/2800) windows of the same slice.</summary>
    ThreeWindows,

    /// <summary>
    /// The released 2DNet code's input: one window applied to slices s+1, s and s−1 (channels in that
    /// order, as its loader stacks them); at the ends of the scan the current slice is repeated.
    /// </summary>
    AdjacentSlices,

    /// <summary>
    /// The scheme drawn in the winning team's slides: brain window (40/80) of slice s−1, subdural
    /// (80/200) of slice s, bone (600/2800) of slice s+1 as channels 0, 1, 2; ends repeat the current slice.
    /// </summary>
    AdjacentWindows,
}

/// <summary>Options of <see cref="NetworkInput"/>.</summary>
/// <param name="Size">Output side in pixels (square), e.g. 256 or 512.</param>
/// <param name="Mode">Channel construction.</param>
/// <param name="Window">The window of <see cref="ChannelMode.AdjacentSlices"/> (default brain 40/80); ignored otherwise.</param>
public sealed record NetworkInputOptions(int Size = 256, ChannelMode Mode = ChannelMode.ThreeWindows, HuWindow? Window = null)
{
    public HuWindow SingleWindow => Window ?? HuWindow.Brain;
}

/// <summary>
/// Builds what the CNN sees for one slice: three channels, each a HU window mapped linearly to [0, 1]
/// (clipped), resampled to <c>size × size</c> with an anti-aliasing triangle filter.
/// Layout: channel-major float[3 * size * size] ([C, H, W]). Deterministic (no randomness, fixed
/// summation order).
/// </summary>
public static class NetworkInput
{
    public const int Channels = 3;

    /// <summary>Three-window [3, size, size] image of one HU slice (brain, subdural, bone).</summary>
    public static float[] FromHu(HuImage hu, int size) => FromHu(hu, size, HeadFrame.Field);

    /// <summary>Air outside the slice inside a head frame (the reader maps outside the field of view to air too).</summary>
    public const float OutsideHu = -1024;

    /// <summary>
    /// Three-window [3, size, size] image of the region <paramref name="frame"/> of one HU slice. A full-field frame
    /// (<see cref="HeadFrame.IsFullField"/>) is exactly <see cref="FromHu(HuImage, int)"/>, bit for bit, so models without
    /// framing predict as they always did; a head frame is resampled with the same filter, air (<see cref="OutsideHu"/>)
    /// where it reaches outside the slice.
    /// </summary>
    public static float[] FromHu(HuImage hu, int size, HeadFrame frame) => Windows(ResampledHu(hu, size, frame));

    /// <summary>
    /// The HU grid [size, size] that <see cref="FromHu(HuImage, int, HeadFrame)"/> windows: the frame's region of the slice
    /// resampled (air outside the slice). Training keeps it to change intensities in HU before windowing. HU is resampled
    /// first and windowed after: the three channels stay geometrically identical and a window edge is not blurred into a
    /// ramp that depends on the window.
    /// </summary>
    public static float[] ResampledHu(HuImage hu, int size, HeadFrame frame)
    {
        ArgumentNullException.ThrowIfNull(hu);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        return frame.IsFullField
            ? Resample.Bilinear(hu.Pixels, hu.Width, hu.Height, size, size)
            : Resample.Region(hu.Pixels, hu.Width, hu.Height, frame.Region(hu.Width, hu.Height), size, size, OutsideHu);
    }

    /// <summary>The three paper windows ([3, size, size], channel-major) of a square HU grid of side size.</summary>
    public static float[] Windows(float[] resampledHu)
    {
        ArgumentNullException.ThrowIfNull(resampledHu);
        var plane = resampledHu.Length;
        var result = new float[Channels * plane];
        for (var c = 0; c < Channels; c++)
            ApplyWindow(HuWindow.PaperChannels[c], resampledHu, result.AsSpan(c * plane, plane));
        return result;
    }

    /// <summary>
    /// A mask that goes with a slice ([height, width] values in [0, 1], any grid covering the slice) on the network grid
    /// of <paramref name="frame"/>: the same region and filter as the image, 0 outside. Full field: the whole mask.
    /// </summary>
    public static float[] MaskFromFrame(float[] mask, int width, int height, int size, HeadFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame.IsFullField
            ? Resample.Bilinear(mask, width, height, size, size)
            : Resample.Region(mask, width, height, frame.Region(width, height), size, size, 0f);
    }

    /// <summary>
    /// Released-code variant: one window on slices s+1, s, s−1 (channel 0 = the slice above).
    /// Pass null for a missing neighbour at the end of a scan: the current slice is repeated.
    /// All slices must have the same width and height.
    /// </summary>
    public static float[] FromAdjacent(HuImage? below, HuImage current, HuImage? above, HuWindow window, int size)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        return Stack([above ?? current, current, below ?? current], [window, window, window], size);
    }

    /// <summary>
    /// The network input of slice <paramref name="index"/> of an ordered scan, in the chosen mode.
    /// Loads the slice (and, for <see cref="ChannelMode.AdjacentSlices"/>, its neighbours) via
    /// <see cref="SliceRecord.LoadHu"/>.
    /// </summary>
    public static float[] ForSlice(IReadOnlyList<SliceRecord> slices, int index, NetworkInputOptions options)
    {
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, slices.Count);
        var current = slices[index].LoadHu();
        if (options.Mode == ChannelMode.ThreeWindows) return FromHu(current, options.Size);
        var below = index > 0 ? slices[index - 1].LoadHu() : null;
        var above = index + 1 < slices.Count ? slices[index + 1].LoadHu() : null;
        return options.Mode == ChannelMode.AdjacentWindows
            ? FromAdjacentWindows(below, current, above, options.Size)
            : FromAdjacent(below, current, above, options.SingleWindow, options.Size);
    }

    /// <summary>
    /// The slides' variant: brain window of slice s−1, subdural of s, bone of s+1 (channels 0, 1, 2).
    /// Pass null for a missing neighbour: the current slice is used.
    /// </summary>
    public static float[] FromAdjacentWindows(HuImage? below, HuImage current, HuImage? above, int size)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        return Stack([below ?? current, current, above ?? current], [HuWindow.Brain, HuWindow.Subdural, HuWindow.Bone], size);
    }

    /// <summary>Channel c = window c of slice c, each resampled to size × size.</summary>
    private static float[] Stack(HuImage[] slices, HuWindow[] windows, int size)
    {
        var current = slices[1];
        foreach (var s in slices)
            if (s.Width != current.Width || s.Height != current.Height)
                throw new ArgumentException($"neighbour slice is {s.Width}x{s.Height}, current is {current.Width}x{current.Height}");
        var plane = size * size;
        var result = new float[Channels * plane];
        for (var c = 0; c < Channels; c++)
        {
            var resized = Resample.Bilinear(slices[c].Pixels, current.Width, current.Height, size, size);
            ApplyWindow(windows[c], resized, result.AsSpan(c * plane, plane));
        }
        return result;
    }

    private static void ApplyWindow(HuWindow window, float[] hu, Span<float> destination)
    {
        for (var i = 0; i < hu.Length; i++) destination[i] = window.Apply(hu[i]);
    }
}
