using System.Globalization;
using System.Net;
using System.Text;
using Ich.Core;
using Ich.Inference.Model;
using Ich.Inference.Pipeline;

namespace Ich.Cli.Report;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS, SVG charts, PNG overlays as data URIs; no
/// scripts, no external links) that opens offline. Per scan: status and triage, the per-slice
/// probability curves, the top slices with their Grad-CAM overlays, the series decision, timings and notes;
/// at the top the model card's intended-use line and operating point.
/// </summary>
internal static class HtmlReport
{
    public const string FileName = "report.html";
    private const int TopSlices = 5;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string outDir, ModelManifest model, IReadOnlyList<ScanOutcome> outcomes, IReadOnlyList<OverlayFile> overlays)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ich predict report</title><style>")
          .Append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}h2{border-top:1px solid #ccc;padding-top:12px}")
          .Append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}")
          .Append(".flag{color:#b00;font-weight:bold}.ok{color:#060}.failed{color:#b00}.card{background:#f4f4f4;padding:8px 12px}")
          .Append("figure{display:inline-block;margin:6px}figcaption{font-size:12px}img{max-width:300px;image-rendering:auto}")
          .Append("</style></head><body>");
        sb.Append("<h1>Intracranial hemorrhage: per-scan predictions</h1>");
        sb.Append("<div class=\"card\"><p><b>Model:</b> ").Append(E(model.Name)).Append(" ").Append(E(model.Version)).Append("</p>")
          .Append("<p><b>Intended use:</b> ").Append(E(model.IntendedUse)).Append("</p>")
          .Append("<p><b>Operating point:</b> ").Append(E(model.OperatingPoint.Description)).Append(" — thresholds on the scan maximum: ")
          .Append(string.Join(", ", HemorrhageClasses.Names.Select((n, c) => $"{n} {model.OperatingPoint.InClassOrder[c].ToString("0.###", Inv)}")))
          .Append("</p></div>");

        var failed = outcomes.Count(o => !o.Succeeded);
        sb.Append("<p>").Append(outcomes.Count).Append(" input(s): ").Append(outcomes.Count - failed).Append(" predicted, ")
          .Append(failed).Append(" failed; ").Append(outcomes.Count(o => o.Prediction?.Triage == true)).Append(" flagged for triage.</p>");
        sb.Append("<table><tr><th>scan</th><th>status</th><th>triage</th><th>flagged classes</th><th>slices</th></tr>");
        for (var k = 0; k < outcomes.Count; k++)
        {
            var o = outcomes[k];
            sb.Append("<tr><td><a href=\"#").Append(Anchor(k)).Append("\">").Append(E(o.ScanId)).Append("</a></td>");
            if (o.Prediction is { } p)
                sb.Append("<td class=\"ok\">ok</td><td>").Append(p.Triage ? "<span class=\"flag\">YES</span>" : "no").Append("</td><td>")
                  .Append(E(FlaggedText(p))).Append("</td><td>").Append(p.Scan.Slices.Count).Append("</td></tr>");
            else sb.Append("<td class=\"failed\">failed</td><td></td><td></td><td></td></tr>");
        }
        sb.Append("</table>");

        for (var k = 0; k < outcomes.Count; k++) AppendScan(sb, k, outcomes[k], model, overlays);
        sb.Append("<p style=\"font-size:12px;color:#666\">Research and triage-support software, not a medical device and not for diagnosis. ")
          .Append("Grad-CAM maps (Selvaraju et al. 2017; Wang et al. 2021 eq. 2–3) give a rough localisation only; they are not segmentations.</p>");
        sb.Append("</body></html>");
        File.WriteAllText(Path.Combine(outDir, FileName), sb.ToString(), new UTF8Encoding(false));
    }

    private static void AppendScan(StringBuilder sb, int k, ScanOutcome o, ModelManifest model, IReadOnlyList<OverlayFile> overlays)
    {
        sb.Append("<h2 id=\"").Append(Anchor(k)).Append("\">").Append(E(o.ScanId)).Append("</h2>");
        sb.Append("<p>Source: <code>").Append(E(o.Input.Source)).Append("</code></p>");
        if (o.Input.SeriesDecision is { } decision) sb.Append("<p>Series decision: ").Append(E(decision)).Append("</p>");
        if (o.Prediction is not { } p)
        {
            sb.Append("<p class=\"failed\">Not predicted: ").Append(E(o.Error ?? "")).Append("</p>");
            return;
        }
        sb.Append("<p>Triage: ").Append(p.Triage ? "<span class=\"flag\">flagged</span>" : "not flagged")
          .Append(". Flagged classes: ").Append(E(FlaggedText(p))).Append(".</p>");
        sb.Append("<table><tr><th></th>");
        foreach (var n in HemorrhageClasses.Names) sb.Append("<th>").Append(n).Append("</th>");
        sb.Append("</tr><tr><td>max over slices</td>");
        for (var c = 0; c < 6; c++)
            sb.Append(p.Flags[c] ? "<td class=\"flag\">" : "<td>").Append(p.ScanMax[c].ToString("0.000", Inv)).Append("</td>");
        sb.Append("</tr></table>");
        sb.Append(ProbabilityChart.Svg(p.Probabilities, p.Scan.Slices.Count, model.OperatingPoint.InClassOrder[0]));

        var n6 = p.Scan.Slices.Count;
        var top = Enumerable.Range(0, n6).OrderByDescending(i => p.Probabilities[i * 6]).ThenBy(i => i).Take(TopSlices).ToList();
        sb.Append("<h3>Top slices by probability of any hemorrhage</h3><table><tr><th>slice index</th><th>slice id</th><th>z (mm)</th>");
        foreach (var n in HemorrhageClasses.Abbreviations) sb.Append("<th>").Append(n).Append("</th>");
        sb.Append("</tr>");
        foreach (var i in top)
        {
            var s = p.Scan.Slices[i];
            sb.Append("<tr><td>").Append(i).Append("</td><td>").Append(E(s.SliceId)).Append("</td><td>")
              .Append(double.IsFinite(s.ZMm) ? s.ZMm.ToString("0.#", Inv) : "").Append("</td>");
            for (var c = 0; c < 6; c++) sb.Append("<td>").Append(p.Probabilities[i * 6 + c].ToString("0.000", Inv)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        var shown = overlays.Where(f => p.Saliency.Contains(f.Map) && top.Contains(f.Map.SliceIndex)).ToList();
        if (shown.Count > 0)
        {
            sb.Append("<div>");
            foreach (var f in shown.OrderBy(f => top.IndexOf(f.Map.SliceIndex)).ThenBy(f => f.Map.ClassIndex))
                sb.Append("<figure><img alt=\"Grad-CAM overlay\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(f.Png)).Append("\"><figcaption>slice ")
                  .Append(f.Map.SliceIndex).Append(", ").Append(HemorrhageClasses.Names[f.Map.ClassIndex]).Append(" (p = ")
                  .Append(f.Map.Probability.ToString("0.00", Inv)).Append("); file ").Append(E(f.RelativePath)).Append("</figcaption></figure>");
            sb.Append("</div>");
        }
        else if (p.Saliency.Count == 0) sb.Append("<p>No Grad-CAM maps (no slice reached a class threshold, or Grad-CAM was off).</p>");

        sb.Append("<p>Timings (ms): ").Append(string.Join(", ", p.TimingsMs.Select(kv => $"{kv.Key} {kv.Value.ToString("0", Inv)}")))
          .Append(" — ").Append((p.TimingsMs["total"] / n6).ToString("0.0", Inv)).Append(" ms/slice.</p>");
        foreach (var note in p.Notes) sb.Append("<p>Note: ").Append(E(note)).Append("</p>");
    }

    private static string FlaggedText(ScanPrediction p)
    {
        var names = Enumerable.Range(0, 6).Where(c => p.Flags[c]).Select(c => HemorrhageClasses.Names[c]).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static string Anchor(int k) => $"scan-{k + 1}";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
