using System.Globalization;
using System.Text.RegularExpressions;

namespace Ich.Browser.Tests.Kit;

/// <summary>WCAG 2.x relative luminance and contrast ratio of CSS colours (as getComputedStyle reports them).</summary>
public static partial class Wcag
{
    /// <summary>Parses "rgb(r, g, b)" or "rgba(r, g, b, a)" into 0..255 channels and alpha 0..1.</summary>
    public static (double R, double G, double B, double A) Parse(string css)
    {
        var m = RgbPattern().Match(css);
        if (!m.Success) throw new FormatException($"not an rgb()/rgba() colour: '{css}'");
        double N(int g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        return (N(1), N(2), N(3), m.Groups[4].Success ? N(4) : 1);
    }

    /// <summary>Blends background layers given innermost first (the last one opaque, else white is assumed below).</summary>
    public static (double R, double G, double B, double A) Composite(IReadOnlyList<string> layersInnermostFirst)
    {
        ArgumentNullException.ThrowIfNull(layersInnermostFirst);
        (double R, double G, double B) colour = (255, 255, 255);
        for (var i = layersInnermostFirst.Count - 1; i >= 0; i--)
        {
            var (r, g, b, a) = Parse(layersInnermostFirst[i]);
            colour = (r * a + colour.R * (1 - a), g * a + colour.G * (1 - a), b * a + colour.B * (1 - a));
        }
        return (colour.R, colour.G, colour.B, 1);
    }

    /// <summary>Contrast ratio (L1 + 0.05) / (L2 + 0.05) of a text colour (blended over the background if translucent).</summary>
    public static double ContrastRatio((double R, double G, double B, double A) text, (double R, double G, double B, double A) background)
    {
        var t = (text.R * text.A + background.R * (1 - text.A), text.G * text.A + background.G * (1 - text.A), text.B * text.A + background.B * (1 - text.A));
        var l1 = Luminance(t.Item1, t.Item2, t.Item3);
        var l2 = Luminance(background.R, background.G, background.B);
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    /// <summary>Relative luminance from sRGB channels 0..255 (WCAG 2.x definition).</summary>
    public static double Luminance(double r, double g, double b) => 0.2126 * Linear(r) + 0.7152 * Linear(g) + 0.0722 * Linear(b);

    private static double Linear(double channel)
    {
        var c = channel / 255;
        return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    [GeneratedRegex(@"^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)$")]
    private static partial Regex RgbPattern();
}
