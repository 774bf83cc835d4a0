using System.IO.Compression;
using Ich.Imaging;
using Ich.Imaging.Overlays;

namespace Ich.Viewer;

/// <summary>
/// The compact pixel encoding of the viewer. Per slice, two 8-bit planes hold exactly what the three
/// window presets need, so the page renders brain, subdural and bone from stored data with no loss:
/// <list type="bullet">
/// <item><b>fine</b>: integer HU clipped to [<see cref="FineLowHu"/>, <see cref="FineLowHu"/>+255] minus
/// <see cref="FineLowHu"/>; brain 40/80 = [0, 80] and subdural 80/200 = [−20, 180] lie inside, so both
/// windows computed from it equal the windows computed from the full HU.</item>
/// <item><b>bone</b>: the bone window 600/2800 already applied (0..255, half-up rounding), which is all
/// the bone preset shows.</item>
/// </list>
/// Each row is delta-coded (byte minus its left neighbour, mod 256, like PNG's Sub filter) and the planes
/// are zlib-compressed; the page inflates them with the browser's DecompressionStream("deflate").
/// Saliency maps and predicted masks have their own compact planes (<see cref="EncodeSaliency"/>, <see cref="EncodeMask"/>).
/// </summary>
public static class PlaneCodec
{
    /// <summary>Lowest HU of the fine plane (value 0); value 255 is <c>FineLowHu + 255</c> = 235 HU.</summary>
    public const int FineLowHu = -20;

    /// <summary>Window of the bone plane.</summary>
    public static readonly HuWindow BoneWindow = HuWindow.Bone;

    /// <summary>The windows rendered from the fine plane; each must lie inside the fine plane's range.</summary>
    public static readonly IReadOnlyList<HuWindow> FineWindows = [HuWindow.Brain, HuWindow.Subdural];

    /// <summary>Encodes one HU slice: zlib( delta(fine plane) ‖ delta(bone plane) ).</summary>
    public static byte[] EncodeHu(ReadOnlySpan<float> hu, int width, int height)
    {
        var planes = new byte[2 * width * height];
        var n = width * height;
        for (var i = 0; i < n; i++)
        {
            var h = RoundHu(hu[i]);
            planes[i] = (byte)(Math.Clamp(h, FineLowHu, FineLowHu + 255) - FineLowHu);
            planes[n + i] = WindowByte(h, BoneWindow);
        }
        return Compress(DeltaRows(planes, width));
    }

    /// <summary>Longest side of the stored display copy of a saliency map (see <see cref="SaliencyFactor"/>).</summary>
    public const int SaliencyGridMax = 128;

    /// <summary>
    /// Integer reduction factor of the saliency display copy: the smallest f with max(width, height) / f ≤
    /// <see cref="SaliencyGridMax"/> (4 for 512). Grad-CAM is computed on a 16–32 px feature grid and upsampled,
    /// so a 128 px copy loses nothing visible, and it keeps a map for every class and slice within the size
    /// budget; the exact full-grid maps are the 16-bit PNGs of <c>--saliency-maps</c>.
    /// </summary>
    public static int SaliencyFactor(int width, int height) => Math.Max(1, (Math.Max(width, height) + SaliencyGridMax - 1) / SaliencyGridMax);

    /// <summary>
    /// Encodes one saliency map (absolute 0..1, width × height) as its f×f box means (f =
    /// <see cref="SaliencyFactor"/>; edge cells average the pixels they have) quantised to 8-bit levels
    /// round(v·255), the colour table's resolution. The page upsamples it bilinearly to the slice grid.
    /// </summary>
    public static byte[] EncodeSaliency(ReadOnlySpan<float> unit, int width, int height)
    {
        var f = SaliencyFactor(width, height);
        var (gw, gh) = ((width + f - 1) / f, (height + f - 1) / f);
        var levels = new byte[gw * gh];
        for (var gy = 0; gy < gh; gy++)
            for (var gx = 0; gx < gw; gx++)
            {
                double sum = 0; var count = 0;
                for (var y = gy * f; y < Math.Min(height, gy * f + f); y++)
                    for (var x = gx * f; x < Math.Min(width, gx * f + f); x++) { sum += Math.Clamp(unit[y * width + x], 0f, 1f); count++; }
                levels[gy * gw + gx] = (byte)(int)(sum / count * 255 + 0.5);
            }
        return Compress(DeltaRows(levels, gw));
    }

    /// <summary>
    /// Encodes one predicted mask (blood probability, width × height) as the 1-bit plane of its drawn region
    /// (<see cref="PredictedMaskDisplay.IsDrawn"/>, the report's threshold): each row packed 8 pixels a byte, most
    /// significant bit first, padded to a whole byte, then zlib-compressed. A region is a few solid blobs, so this is a
    /// few hundred bytes where an 8-bit plane would cost kilobytes; the page only needs inside/outside to draw it.
    /// </summary>
    public static byte[] EncodeMask(ReadOnlySpan<float> probability, int width, int height)
    {
        if (probability.Length != width * height)
            throw new ArgumentException($"mask has {probability.Length} values, expected {width * height}", nameof(probability));
        var stride = MaskStride(width);
        var bits = new byte[stride * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if (PredictedMaskDisplay.IsDrawn(probability[y * width + x])) bits[y * stride + (x >> 3)] |= (byte)(0x80 >> (x & 7));
        return Compress(bits);
    }

    /// <summary>Bytes per row of the mask plane: ⌈width / 8⌉.</summary>
    public static int MaskStride(int width) => (width + 7) / 8;

    /// <summary>
    /// The displayed grey level (0..255) of an integer HU in a window with integral centre and width:
    /// round-half-up of (hu − lower)·255/width, clipped. Integer arithmetic, so C# and the page's script agree exactly.
    /// </summary>
    public static byte WindowByte(int hu, HuWindow window)
    {
        var lower = (long)(window.Center - window.Width / 2);
        var width = (long)window.Width;
        var v = ((hu - lower) * 510 + width) / (2 * width);
        if (hu <= lower) return 0;
        return (byte)Math.Min(255, v);
    }

    /// <summary>HU as stored for display: nearest integer, bounded to the int16 range of CT data.</summary>
    public static int RoundHu(float hu) =>
        float.IsNaN(hu) ? -1000 : (int)Math.Clamp(MathF.Round(hu, MidpointRounding.AwayFromZero), short.MinValue, short.MaxValue);

    private static byte[] DeltaRows(byte[] data, int width)
    {
        var result = new byte[data.Length];
        for (var row = 0; row < data.Length; row += width)
        {
            result[row] = data[row];
            for (var x = 1; x < width; x++) result[row + x] = (byte)(data[row + x] - data[row + x - 1]);
        }
        return result;
    }

    private static byte[] Compress(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(data);
        return buffer.ToArray();
    }
}
