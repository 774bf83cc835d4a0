namespace Ich.Imaging.Overlays;

/// <summary>
/// The "jet" colour map (dark blue → blue → cyan → yellow → red → dark red), the usual map of
/// Grad-CAM figures. Piecewise linear in each channel; input clipped to [0, 1].
/// </summary>
public static class ColorMap
{
    /// <summary>RGB (each 0..255) of a value in [0, 1]; NaN maps to 0.</summary>
    public static (byte R, byte G, byte B) Jet(float value)
    {
        var v = float.IsNaN(value) ? 0f : Math.Clamp(value, 0f, 1f);
        // Each channel is a trapezoid: 0 below, rises over 1/4, flat, falls over 1/4; red/blue
        // start/end at 0.5 intensity so that 0 is dark blue and 1 is dark red.
        return (ToByte(Trapezoid(v - 0.25f)), ToByte(Trapezoid(v)), ToByte(Trapezoid(v + 0.25f)));
    }

    /// <summary>Colour table of 256 RGB entries (index = round(value·255)).</summary>
    public static byte[] JetTable()
    {
        var table = new byte[256 * 3];
        for (var i = 0; i < 256; i++)
        {
            var (r, g, b) = Jet(i / 255f);
            table[3 * i] = r; table[3 * i + 1] = g; table[3 * i + 2] = b;
        }
        return table;
    }

    // Green's profile, centred at 0.5: 1 on [0.375, 0.625], linear to 0 at 0.125 and 0.875.
    private static float Trapezoid(float v) => Math.Clamp(Math.Min(4 * v - 0.5f, -4 * v + 3.5f), 0f, 1f);

    private static byte ToByte(float unit) => (byte)MathF.Round(unit * 255f);
}
