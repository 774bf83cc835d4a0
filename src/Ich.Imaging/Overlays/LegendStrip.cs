namespace Ich.Imaging.Overlays;

/// <summary>A colour-bar legend for heat maps: the jet colour map as an RGBA strip with tick marks.</summary>
public static class LegendStrip
{
    /// <summary>
    /// A vertical strip (low values at the bottom, 1 at the top), opaque RGBA, width × height bytes·4.
    /// Ticks: a one-pixel dark line across the strip at heat 0, 0.25, 0.5, 0.75 and 1 when
    /// <paramref name="ticks"/> is true. Row y shows heat 1 − y / (height − 1).
    /// </summary>
    public static byte[] Vertical(int width, int height, bool ticks = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 2);
        var rgba = new byte[width * height * 4];
        var tickRows = ticks ? TickRows(height) : [];
        for (var y = 0; y < height; y++)
        {
            var v = 1f - (float)y / (height - 1);
            var (r, g, b) = ColorMap.Jet(v);
            var isTick = tickRows.Contains(y);
            for (var x = 0; x < width; x++)
            {
                var o = 4 * (y * width + x);
                // Ticks cover the left and right quarters only, so the colour stays visible in the middle.
                var drawTick = isTick && (x < Math.Max(1, width / 4) || x >= width - Math.Max(1, width / 4));
                rgba[o] = drawTick ? (byte)0 : r;
                rgba[o + 1] = drawTick ? (byte)0 : g;
                rgba[o + 2] = drawTick ? (byte)0 : b;
                rgba[o + 3] = 255;
            }
        }
        return rgba;
    }

    /// <summary>Rows of the tick marks at heat 1, 0.75, 0.5, 0.25, 0 (top to bottom).</summary>
    public static int[] TickRows(int height) =>
        [0, (int)MathF.Round((height - 1) * 0.25f), (int)MathF.Round((height - 1) * 0.5f), (int)MathF.Round((height - 1) * 0.75f), height - 1];
}
