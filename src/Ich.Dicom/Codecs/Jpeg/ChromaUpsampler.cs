using System.Runtime.CompilerServices;
namespace Ich.Dicom.Codecs.Jpeg;

/// <summary>
/// Brings a subsampled component to full resolution. 2:1 horizontal (4:2:2) and 2:1 in both directions
/// (4:2:0) use the triangle ("fancy") filter of the IJG decoder, so colour output agrees with libjpeg and
/// DCMTK; other ratios replicate samples.
/// </summary>
internal static class ChromaUpsampler
{
    /// <summary>
    /// Writes width × height samples into <paramref name="output"/>, upsampled from <paramref name="plane"/> (stride
    /// <paramref name="stride"/>), whose meaningful part is <paramref name="inWidth"/> × <paramref name="inHeight"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: fully optimised from the first frame
    public static void Upsample(int[] plane, int stride, int inWidth, int inHeight, int hRatio, int vRatio, int width, int height, int[] output)
    {
        if (hRatio == 2 && vRatio == 1 && inWidth >= 2)
        {
            var row = new int[2 * inWidth];
            for (int y = 0; y < height; y++)
            {
                Horizontal(plane.AsSpan(y * stride, inWidth), row);
                row.AsSpan(0, width).CopyTo(output.AsSpan(y * width));
            }
        }
        else if (hRatio == 2 && vRatio == 2 && inWidth >= 2)
        {
            var row = new int[2 * inWidth];
            for (int y = 0; y < height; y++)
            {
                int near = y / 2;
                int far = y % 2 == 0 ? Math.Max(near - 1, 0) : Math.Min(near + 1, inHeight - 1);
                Both(plane.AsSpan(near * stride, inWidth), plane.AsSpan(far * stride, inWidth), row);
                row.AsSpan(0, width).CopyTo(output.AsSpan(y * width));
            }
        }
        else
        {
            for (int y = 0; y < height; y++)
            {
                int src = y / vRatio * stride;
                for (int x = 0; x < width; x++) output[y * width + x] = plane[src + x / hRatio];
            }
        }
    }

    /// <summary>Each input sample makes two: ¾ of itself plus ¼ of its left or right neighbour.</summary>
    private static void Horizontal(ReadOnlySpan<int> input, Span<int> output)
    {
        int n = input.Length;
        output[0] = input[0];
        output[1] = (input[0] * 3 + input[1] + 2) >> 2;
        for (int i = 1; i < n - 1; i++)
        {
            int v = input[i] * 3;
            output[2 * i] = (v + input[i - 1] + 1) >> 2;
            output[2 * i + 1] = (v + input[i + 1] + 2) >> 2;
        }
        output[2 * n - 2] = (input[n - 1] * 3 + input[n - 2] + 1) >> 2;
        output[2 * n - 1] = input[n - 1];
    }

    /// <summary>
    /// Vertical ¾/¼ blend of the nearer and farther input rows (column sums), then the horizontal ¾/¼
    /// blend of those sums, with the IJG rounding biases.
    /// </summary>
    private static void Both(ReadOnlySpan<int> near, ReadOnlySpan<int> far, Span<int> output)
    {
        int n = near.Length;
        int thisSum = near[0] * 3 + far[0];
        int nextSum = near[1] * 3 + far[1];
        output[0] = (thisSum * 4 + 8) >> 4;
        output[1] = (thisSum * 3 + nextSum + 7) >> 4;
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int i = 1; i < n - 1; i++)
        {
            nextSum = near[i + 1] * 3 + far[i + 1];
            output[2 * i] = (thisSum * 3 + lastSum + 8) >> 4;
            output[2 * i + 1] = (thisSum * 3 + nextSum + 7) >> 4;
            lastSum = thisSum;
            thisSum = nextSum;
        }
        output[2 * n - 2] = (thisSum * 3 + lastSum + 8) >> 4;
        output[2 * n - 1] = (thisSum * 4 + 7) >> 4;
    }
}
