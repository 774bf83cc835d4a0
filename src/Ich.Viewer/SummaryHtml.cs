using System.Net;
using System.Text;
using Ich.Core;

namespace Ich.Viewer;

/// <summary>
/// The scan summary at the top of the page, rendered on the server side so it is there before any script
/// runs. Every input string passes <see cref="WebUtility.HtmlEncode"/>.
/// </summary>
internal static class SummaryHtml
{
    public static string Build(ViewerStudy study)
    {
        var html = new StringBuilder();
        html.Append("<h1>ICH study viewer</h1>");
        html.Append("<p class=\"scan\">Scan <span class=\"id\">").Append(Encode(study.ScanId)).Append("</span> · ")
            .Append(study.Slices.Count).Append(" slices</p>");

        var flagged = Enumerable.Range(0, HemorrhageClasses.Count)
            .Where(c => study.FlaggedClasses.Contains(HemorrhageClasses.Names[c], StringComparer.OrdinalIgnoreCase))
            .Select(c => $"{HemorrhageClasses.Names[c]} ({HemorrhageClasses.Abbreviations[c]})")
            .ToList();
        html.Append("<p class=\"flags\">");
        if (flagged.Count == 0) html.Append("<span class=\"badge ok\">No class flagged</span>");
        else
        {
            html.Append("<span class=\"badge flag\">Flagged</span> ");
            html.Append(Encode(string.Join(", ", flagged)));
        }
        html.Append(" <span class=\"muted\">at the operating point");
        if (!string.IsNullOrWhiteSpace(study.OperatingPoint)) html.Append(": ").Append(Encode(study.OperatingPoint));
        html.Append("</span></p>");

        html.Append("<p class=\"model\">Model <span class=\"id\">").Append(Encode(study.ModelName)).Append("</span>");
        if (study.ModelVersion.Length > 0) html.Append(" version <span class=\"id\">").Append(Encode(study.ModelVersion)).Append("</span>");
        html.Append("</p>");
        html.Append("<p class=\"disclaimer\" role=\"note\">").Append(Encode(study.Disclaimer)).Append("</p>");
        return html.ToString();
    }

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
