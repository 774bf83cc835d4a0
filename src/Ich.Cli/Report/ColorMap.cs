namespace Ich.Cli.Report;

/// <summary>
/// The "jet" colour map conventionally used for Grad-CAM (dark blue → blue → cyan → yellow → red → dark red),
/// as piecewise-linear RGB. Interim: to be replaced by Ich.Imaging's colour map once that is merged.
/// </summary>
internal static class ColorMap
{
    /// <summary>RGB of a value in [0, 1] (clipped).</summary>
    public static (byte R, byte G, byte B) Jet(float v)
    {
        v = Math.Clamp(v, 0f, 1f);
        static byte Ch(float x) => (byte)Math.Round(255 * Math.Clamp(x, 0f, 1f));
        var r = Math.Min(4 * v - 1.5f, -4 * v + 4.5f);
        var g = Math.Min(4 * v - 0.5f, -4 * v + 3.5f);
        var b = Math.Min(4 * v + 0.5f, -4 * v + 2.5f);
        return (Ch(r), Ch(g), Ch(b));
    }

    /// <summary>CSS hex colour of a value in [0, 1].</summary>
    public static string Hex(float v)
    {
        var (r, g, b) = Jet(v);
        return $"#{r:x2}{g:x2}{b:x2}";
    }
}
