using Ich.Imaging;

namespace Ich.Inference.Pipeline;

/// <summary>Geometry between a slice and its framed, centre-cropped, resized network input.</summary>
public static class CropMapping
{
    /// <summary>
    /// A map over the centre-cropped network input ([size, size], covering the central <paramref name="crop"/> of the
    /// frame's region) resampled onto the slice's own grid (bilinear, half-pixel centres); zero outside the crop. The
    /// frame (<see cref="HeadFrame.Region"/> on this grid; the whole slice for a full-field frame) is where the network
    /// input came from, so a Grad-CAM or predicted-mask map lands on the anatomy it was computed on.
    /// </summary>
    public static float[] ToSliceGrid(float[] map, int size, double crop, int width, int height, HeadFrame frame)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(frame);
        var region = frame.Region(width, height);
        var result = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var v = ((y + 0.5 - region.Top) / region.Height * 2 - 1) / crop;  // [-1, 1] inside the crop
            if (Math.Abs(v) > 1) continue;
            var sy = Math.Clamp((v + 1) / 2 * size - 0.5, 0, size - 1);
            var y0 = (int)sy;
            var y1 = Math.Min(y0 + 1, size - 1);
            var wy = (float)(sy - y0);
            for (var x = 0; x < width; x++)
            {
                var u = ((x + 0.5 - region.Left) / region.Width * 2 - 1) / crop;
                if (Math.Abs(u) > 1) continue;
                var sx = Math.Clamp((u + 1) / 2 * size - 0.5, 0, size - 1);
                var x0 = (int)sx;
                var x1 = Math.Min(x0 + 1, size - 1);
                var wx = (float)(sx - x0);
                var top = map[y0 * size + x0] * (1 - wx) + map[y0 * size + x1] * wx;
                var bottom = map[y1 * size + x0] * (1 - wx) + map[y1 * size + x1] * wx;
                result[y * width + x] = top * (1 - wy) + bottom * wy;
            }
        }
        return result;
    }
}
