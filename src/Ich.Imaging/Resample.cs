namespace Ich.Imaging;

/// <summary>Image resampling on row-major float planes.</summary>
public static class Resample
{
    /// <summary>
    /// Resizes with pixel-centre alignment (half-pixel offsets, as OpenCV and PyTorch align_corners=false).
    /// When shrinking by more than 2×, the source is first box-filtered so the result is anti-aliased.
    /// </summary>
    public static float[] Bilinear(float[] src, int width, int height, int outWidth, int outHeight)
    {
        if (src.Length != width * height) throw new ArgumentException("pixel count does not match size", nameof(src));
        // Integer box pre-filter for large reductions (anti-aliasing), then bilinear for the remainder.
        var factor = Math.Min(width / outWidth, height / outHeight);
        if (factor >= 2)
        {
            src = BoxDownsample(src, width, height, factor, out width, out height);
        }
        if (width == outWidth && height == outHeight) return (float[])src.Clone();

        var dst = new float[outWidth * outHeight];
        var sx = (double)width / outWidth;
        var sy = (double)height / outHeight;
        for (var y = 0; y < outHeight; y++)
        {
            var fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, height - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, height - 1);
            var wy = (float)(fy - y0);
            for (var x = 0; x < outWidth; x++)
            {
                var fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, width - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, width - 1);
                var wx = (float)(fx - x0);
                var top = src[y0 * width + x0] * (1 - wx) + src[y0 * width + x1] * wx;
                var bottom = src[y1 * width + x0] * (1 - wx) + src[y1 * width + x1] * wx;
                dst[y * outWidth + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return dst;
    }

    private static float[] BoxDownsample(float[] src, int width, int height, int factor, out int outWidth, out int outHeight)
    {
        outWidth = width / factor;
        outHeight = height / factor;
        var dst = new float[outWidth * outHeight];
        var norm = 1f / (factor * factor);
        for (var y = 0; y < outHeight; y++)
        for (var x = 0; x < outWidth; x++)
        {
            var sum = 0f;
            for (var dy = 0; dy < factor; dy++)
            {
                var row = (y * factor + dy) * width + x * factor;
                for (var dx = 0; dx < factor; dx++) sum += src[row + dx];
            }
            dst[y * outWidth + x] = sum * norm;
        }
        return dst;
    }
}
