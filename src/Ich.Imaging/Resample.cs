namespace Ich.Imaging;

/// <summary>Image resampling on row-major float planes.</summary>
public static class Resample
{
    /// <summary>
    /// Resizes a row-major [height, width] plane to [outHeight, outWidth] with a separable triangle
    /// (bilinear) filter and pixel-centre alignment (half-pixel offsets, as PyTorch
    /// <c>align_corners=false</c>). When shrinking, the kernel is widened by the reduction factor
    /// so every source pixel contributes (anti-aliasing, like Pillow's BILINEAR resize and torchvision
    /// <c>antialias=True</c>); when enlarging it is plain bilinear interpolation. Deterministic.
    /// </summary>
    public static float[] Bilinear(float[] src, int width, int height, int outWidth, int outHeight)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (src.Length != width * height) throw new ArgumentException("pixel count does not match size", nameof(src));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        if (width == outWidth && height == outHeight) return (float[])src.Clone();

        var horizontal = Weights(width, outWidth);
        var vertical = Weights(height, outHeight);

        // Horizontal pass: [height, width] → [height, outWidth].
        var tmp = new float[height * outWidth];
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < outWidth; x++)
            {
                var (first, w) = horizontal[x];
                double sum = 0;
                for (var k = 0; k < w.Length; k++) sum += w[k] * src[row + first + k];
                tmp[y * outWidth + x] = (float)sum;
            }
        }

        // Vertical pass: [height, outWidth] → [outHeight, outWidth].
        var dst = new float[outHeight * outWidth];
        var acc = new double[outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            Array.Clear(acc);
            var (first, w) = vertical[y];
            for (var k = 0; k < w.Length; k++)
            {
                var row = (first + k) * outWidth;
                var wk = w[k];
                for (var x = 0; x < outWidth; x++) acc[x] += wk * tmp[row + x];
            }
            for (var x = 0; x < outWidth; x++) dst[y * outWidth + x] = (float)acc[x];
        }
        return dst;
    }

    /// <summary>
    /// For each output sample: the first contributing input index and the normalised weights.
    /// Output sample i is centred at input coordinate (i + 0.5)·scale − 0.5; the triangle kernel has
    /// half-width max(1, scale) input pixels; weights touching outside the image are dropped and the
    /// rest renormalised (edge pixels are not darkened).
    /// </summary>
    private static (int First, double[] W)[] Weights(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var support = Math.Max(1.0, scale);
        var result = new (int, double[])[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var centre = (i + 0.5) * scale;
            var lo = Math.Max(0, (int)Math.Floor(centre - support));
            var hi = Math.Min(inSize - 1, (int)Math.Ceiling(centre + support));
            var w = new double[hi - lo + 1];
            double total = 0;
            for (var j = lo; j <= hi; j++)
            {
                var d = Math.Abs(j + 0.5 - centre) / support;
                var v = d < 1 ? 1 - d : 0;
                w[j - lo] = v;
                total += v;
            }
            if (total <= 0) { w = [1.0]; lo = Math.Clamp((int)centre, 0, inSize - 1); total = 1; }
            for (var k = 0; k < w.Length; k++) w[k] /= total;
            result[i] = (lo, w);
        }
        return result;
    }
}
