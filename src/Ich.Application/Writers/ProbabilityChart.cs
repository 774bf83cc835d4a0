using System.Globalization;
using System.Text;
using Ich.Core;

namespace Ich.Application.Writers;

/// <summary>Inline SVG of the six per-slice probability curves of a scan (x: slice index, 0 = lowest; y: probability).</summary>
internal static class ProbabilityChart
{
    private static readonly string[] Colours = ["#000000", "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00"];

    public static string Svg(float[] probabilities, int slices, double anyThreshold)
    {
        var inv = CultureInfo.InvariantCulture;
        const int width = 640, height = 240, left = 40, right = 130, top = 10, bottom = 30;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        double X(int i) => left + (slices <= 1 ? 0 : (double)i / (slices - 1) * plotW);
        double Y(double p) => top + (1 - p) * plotH;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"per-slice probabilities\">");
        sb.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"#fafafa\" stroke=\"#999\"/>");
        foreach (var p in new[] { 0.0, 0.5, 1.0 })
            sb.Append(string.Format(inv, "<text x=\"{0}\" y=\"{1:0.#}\" font-size=\"10\" text-anchor=\"end\">{2:0.0}</text>", left - 4, Y(p) + 3, p));
        sb.Append(string.Format(inv, "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:0.#}\" y2=\"{2:0.#}\" stroke=\"#000\" stroke-dasharray=\"4 3\" stroke-width=\"0.8\"/>",
            left, left + plotW, Y(anyThreshold)));
        sb.Append(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" font-size=\"10\" text-anchor=\"middle\">slice index (0 = lowest)</text>", left + plotW / 2, height - 6));
        sb.Append(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" font-size=\"10\">0</text><text x=\"{2}\" y=\"{1}\" font-size=\"10\" text-anchor=\"end\">{3}</text>",
            left, top + plotH + 12, left + plotW, slices - 1));
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var points = string.Join(' ', Enumerable.Range(0, slices).Select(i => string.Format(inv, "{0:0.#},{1:0.#}", X(i), Y(probabilities[i * HemorrhageClasses.Count + c]))));
            var widthPx = c == 0 ? 2.2 : 1.4;
            sb.Append(string.Format(inv, "<polyline fill=\"none\" stroke=\"{0}\" stroke-width=\"{1}\" points=\"{2}\"/>", Colours[c], widthPx, points));
            var ly = top + 14 + c * 16;
            sb.Append(string.Format(inv, "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>", left + plotW + 10, left + plotW + 26, ly - 4, Colours[c]));
            sb.Append(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" font-size=\"11\">{2}</text>", left + plotW + 30, ly, HemorrhageClasses.Names[c]));
        }
        sb.Append(string.Format(inv, "<text x=\"{0}\" y=\"{1}\" font-size=\"10\">--- any threshold</text>", left + plotW + 10, top + 14 + 6 * 16 + 4));
        sb.Append("</svg>");
        return sb.ToString();
    }
}
