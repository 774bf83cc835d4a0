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

        var (hFirst, hTaps, hW) = Flatten(Weights(width, outWidth));
        var (vFirst, vTaps, vW) = Flatten(Weights(height, outHeight));

        // Horizontal pass: [height, width] → [height, outWidth]. Weights are zero-padded to a fixed
        // tap count so the inner loop has no per-sample bounds or allocations.
        var tmp = new float[height * outWidth];
        for (var y = 0; y < height; y++)
        {
            var row = src.AsSpan(y * width, width);
            var outRow = tmp.AsSpan(y * outWidth, outWidth);
            for (var x = 0; x < outWidth; x++)
            {
                var first = hFirst[x];
                var w = hW.AsSpan(x * hTaps, hTaps);
                var taps = Math.Min(hTaps, width - first);
                float sum = 0;
                for (var k = 0; k < taps; k++) sum += w[k] * row[first + k];
                outRow[x] = sum;
            }
        }

        // Vertical pass: [height, outWidth] → [outHeight, outWidth], row by row (cache-friendly).
        var dst = new float[outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            var first = vFirst[y];
            var outRow = dst.AsSpan(y * outWidth, outWidth);
            var taps = Math.Min(vTaps, height - first);
            for (var k = 0; k < taps; k++)
            {
                var wk = vW[y * vTaps + k];
                if (wk == 0) continue;
                var inRow = tmp.AsSpan((first + k) * outWidth, outWidth);
                for (var x = 0; x < outWidth; x++) outRow[x] += wk * inRow[x];
            }
        }
        return dst;
    }

    /// <summary>
    /// Resamples the part <paramref name="region"/> of a row-major [height, width] plane (pixel-edge coordinates; it may
    /// reach outside the plane) to [outHeight, outWidth] with the filter of <see cref="Bilinear"/>: triangle kernel,
    /// half-pixel centres, widened by the reduction factor when shrinking. Samples outside the plane take the value
    /// <paramref name="outside"/> (air for HU, 0 for a mask) instead of being dropped, so the border of the field of view
    /// is not smeared outwards. For the whole plane use <see cref="Bilinear"/> (which renormalises at the edges instead).
    /// </summary>
    public static float[] Region(float[] src, int width, int height, FrameRegion region, int outWidth, int outHeight, float outside)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (src.Length != width * height) throw new ArgumentException("pixel count does not match size", nameof(src));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        if (!(region.Width > 0) || !(region.Height > 0) || !double.IsFinite(region.Left) || !double.IsFinite(region.Top))
            throw new ArgumentException($"region {region} is empty or not finite", nameof(region));
        var h = RegionWeights(width, region.Left, region.Width, outWidth);
        var v = RegionWeights(height, region.Top, region.Height, outHeight);

        // Horizontal pass over the rows some output row reads: [height, width] → [height, outWidth].
        var tmp = new float[height * outWidth];
        for (var y = 0; y < height; y++)
        {
            var row = src.AsSpan(y * width, width);
            for (var x = 0; x < outWidth; x++)
            {
                var (first, w, away) = h[x];
                var sum = away * outside;
                for (var k = 0; k < w.Length; k++) sum += w[k] * row[first + k];
                tmp[y * outWidth + x] = sum;
            }
        }
        // Vertical pass: an all-outside row of tmp would be `outside` everywhere, so its weight adds `outside`.
        var dst = new float[outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            var (first, w, away) = v[y];
            var outRow = dst.AsSpan(y * outWidth, outWidth);
            outRow.Fill(away * outside);
            for (var k = 0; k < w.Length; k++)
            {
                var inRow = tmp.AsSpan((first + k) * outWidth, outWidth);
                for (var x = 0; x < outWidth; x++) outRow[x] += w[k] * inRow[x];
            }
        }
        return dst;
    }

    /// <summary>
    /// For each output sample of a region: the first input index inside the plane, the normalised weights of the inside
    /// taps, and the summed weight of the taps outside the plane. Output i is centred at input coordinate
    /// start + (i + 0.5)·scale; the triangle half-width is max(1, scale) input pixels.
    /// </summary>
    private static (int First, float[] W, float Away)[] RegionWeights(int inSize, double start, double length, int outSize)
    {
        var scale = length / outSize;
        var support = Math.Max(1.0, scale);
        var result = new (int, float[], float)[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var centre = start + (i + 0.5) * scale;
            var lo = (int)Math.Floor(centre - support);
            var hi = (int)Math.Ceiling(centre + support);
            var raw = new double[hi - lo + 1];
            double total = 0;
            for (var j = lo; j <= hi; j++)
            {
                var d = Math.Abs(j + 0.5 - centre) / support;
                raw[j - lo] = d < 1 ? 1 - d : 0;
                total += raw[j - lo];
            }
            int first = Math.Max(lo, 0), last = Math.Min(hi, inSize - 1);
            var inside = new float[Math.Max(0, last - first + 1)];
            double away = 0;
            for (var j = lo; j <= hi; j++)
            {
                var w = raw[j - lo] / total;
                if (j >= 0 && j < inSize) inside[j - first] = (float)w;
                else away += w;
            }
            result[i] = (Math.Min(first, inSize - 1), inside, (float)away);
        }
        return result;
    }

    private static (int[] First, int Taps, float[] W) Flatten((int First, double[] W)[] weights)
    {
        var taps = weights.Max(w => w.W.Length);
        var first = new int[weights.Length];
        var flat = new float[weights.Length * taps];
        for (var i = 0; i < weights.Length; i++)
        {
            first[i] = weights[i].First;
            for (var k = 0; k < weights[i].W.Length; k++) flat[i * taps + k] = (float)weights[i].W[k];
        }
        return (first, taps, flat);
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
