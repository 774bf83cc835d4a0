using System.Globalization;
using System.Net;
using System.Text;
using Ich.Application.Prediction;
using Ich.Core;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Imaging.Overlays;

namespace Ich.Application.Writers;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS, SVG charts, PNG overlays as data URIs; no
/// scripts, no external links) that opens offline. Per scan: status and triage, the per-slice
/// probability curves, the top slices with their Grad-CAM overlays (and, for models with segmentation decoders, each of
/// those slices' predicted-mask overlay beside them), the series decision, timings and notes;
/// at the top the model card's intended-use line, the operating point and a table of every scan.
/// <para>
/// Streaming: each scan's section is appended to a part file beside the report as the scan finishes and only
/// the small row of the summary table is kept; <see cref="Complete"/> writes the head and the table and
/// copies the sections after them.
/// </para>
/// </summary>
/// <param name="outDir">Output folder.</param>
/// <param name="overlays">The run's overlay writer (placed before this one), to name the overlay files in captions; null when overlays are not written.</param>
public sealed class HtmlReportWriter(string outDir, OverlayWriter? overlays = null) : IPredictionOutputWriter, IDisposable
{
    public const string FileName = "report.html";
    private const int TopSlices = 5;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly int K = HemorrhageClasses.Count;

    private ModelManifest? model;
    private StreamWriter? sections;
    private string PartPath => Path.Combine(outDir, FileName + ".part");

    public void Begin(PredictionRunInfo run)
    {
        ArgumentNullException.ThrowIfNull(run);
        model = run.Model;
        Directory.CreateDirectory(outDir);
        sections = new StreamWriter(PartPath, append: false, new UTF8Encoding(false));
    }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (sections is null || model is null) throw new InvalidOperationException("Begin was not called");
        var sb = new StringBuilder();
        AppendScan(sb, scan, model, overlays?.CurrentScanFiles(scan.Index) ?? new Dictionary<(int Slice, int Class), string>(),
            overlays?.CurrentScanMaskFiles(scan.Index) ?? new Dictionary<int, string>());
        sections.Write(sb);
        sections.Flush();
    }

    public void Complete(PredictionSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (sections is null || model is null) throw new InvalidOperationException("Begin was not called");
        sections.Dispose();
        sections = null;
        using (var html = new StreamWriter(Path.Combine(outDir, FileName), append: false, new UTF8Encoding(false)))
        {
            html.Write(Head(model, summary));
            using (var part = File.OpenRead(PartPath)) { html.Flush(); part.CopyTo(html.BaseStream); }
            html.Write("<p style=\"font-size:12px;color:#666\">Research and triage-support software, not a medical device and not for diagnosis. " +
                       "Grad-CAM maps (Selvaraju et al. 2017; Wang et al. 2021 eq. 2–3) give a rough localisation only; they are not segmentations. " +
                       "Predicted masks come from the model's segmentation head (trained on bleed masks) and are shown as a second explanation; " +
                       "the classification probabilities remain the model's answer.</p></body></html>");
        }
        File.Delete(PartPath);
    }

    public void Dispose()
    {
        sections?.Dispose();
        sections = null;
        if (File.Exists(PartPath)) File.Delete(PartPath);
    }

    private static string Head(ModelManifest model, PredictionSummary summary)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ich predict report</title><style>")
          .Append("body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}h2{border-top:1px solid #ccc;padding-top:12px}")
          .Append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}")
          .Append(".flag{color:#b00;font-weight:bold}.ok{color:#060}.failed{color:#b00}.card{background:#f4f4f4;padding:8px 12px}")
          .Append("figure{display:inline-block;margin:6px}figcaption{font-size:12px}img{max-width:300px;image-rendering:auto}")
          .Append("</style></head><body>");
        sb.Append("<h1>Intracranial hemorrhage: per-scan predictions</h1>");
        sb.Append("<div class=\"card\"><p><b>Model:</b> ").Append(E(model.Name)).Append(' ').Append(E(model.Version)).Append("</p>")
          .Append("<p><b>Intended use:</b> ").Append(E(model.IntendedUse)).Append("</p>")
          .Append("<p><b>Operating point:</b> ").Append(E(model.OperatingPoint.Description)).Append(" — thresholds on the scan maximum: ")
          .Append(string.Join(", ", HemorrhageClasses.Names.Select((n, c) => model.OperatingPoint.InClassOrder[c] is { } t
              ? $"{n} {t.ToString("0.###", Inv)}" : $"{n} not flagged (probability only)")))
          .Append("</p></div>");
        sb.Append("<p>").Append(summary.Scans.Count).Append(" input(s): ").Append(summary.Succeeded).Append(" predicted, ")
          .Append(summary.Failed).Append(" failed; ").Append(summary.Flagged).Append(" flagged for triage.");
        if (summary.Interrupted) sb.Append(" <b>The run was interrupted;</b> later inputs are missing.");
        sb.Append("</p><table><tr><th>scan</th><th>status</th><th>triage</th><th>flagged classes</th><th>slices</th></tr>");
        foreach (var s in summary.Scans)
        {
            sb.Append("<tr><td><a href=\"#").Append(Anchor(s.Index)).Append("\">").Append(E(s.ScanId)).Append("</a></td>");
            if (s.Status == ScanStatus.Predicted)
                sb.Append("<td class=\"ok\">ok</td><td>").Append(s.Triage ? "<span class=\"flag\">YES</span>" : "no").Append("</td><td>")
                  .Append(E(FlaggedText(s.Flags))).Append("</td><td>").Append(s.Slices).Append("</td></tr>");
            else sb.Append("<td class=\"failed\">failed</td><td></td><td></td><td></td></tr>");
        }
        return sb.Append("</table>").ToString();
    }

    private static void AppendScan(StringBuilder sb, ScanResult o, ModelManifest model, IReadOnlyDictionary<(int Slice, int Class), string> files,
        IReadOnlyDictionary<int, string> maskFiles)
    {
        sb.Append("<h2 id=\"").Append(Anchor(o.Index)).Append("\">").Append(E(o.ScanId)).Append("</h2>");
        sb.Append("<p>Source: <code>").Append(E(o.Input.Source)).Append("</code></p>");
        if (o.Input.SeriesDecision is { } decision) sb.Append("<p>Series decision: ").Append(E(decision)).Append("</p>");
        if (o.Prediction is not { } p)
        {
            sb.Append("<p class=\"failed\">Not predicted: ").Append(E(o.Error ?? "")).Append("</p>");
            return;
        }
        sb.Append("<p>Triage: ").Append(p.Triage ? "<span class=\"flag\">flagged</span>" : "not flagged")
          .Append(". Flagged classes: ").Append(E(FlaggedText(p.Flags))).Append(".</p>");
        sb.Append("<p><a href=\"").Append(E(ViewerWriter.RelativePath(o.ScanId)))
          .Append("\">Open the study viewer</a>: every slice, window presets, overlays and the per-slice chart in sync.</p>");
        sb.Append("<table><tr><th></th>");
        foreach (var n in HemorrhageClasses.Names) sb.Append("<th>").Append(n).Append("</th>");
        sb.Append("</tr><tr><td>max over slices</td>");
        for (var c = 0; c < K; c++)
            sb.Append(p.Flags[c] ? "<td class=\"flag\">" : "<td>").Append(p.ScanMax[c].ToString("0.000", Inv)).Append("</td>");
        sb.Append("</tr></table>");
        sb.Append(ProbabilityChart.Svg(p.Probabilities, p.Scan.Slices.Count, model.OperatingPoint.AnyThreshold));

        var n6 = p.Scan.Slices.Count;
        var top = Enumerable.Range(0, n6).OrderByDescending(i => p.Probabilities[i * K]).ThenBy(i => i).Take(TopSlices).ToList();
        sb.Append("<h3>Top slices by probability of any hemorrhage</h3><table><tr><th>slice index</th><th>slice id</th><th>z (mm)</th>");
        foreach (var n in HemorrhageClasses.Abbreviations) sb.Append("<th>").Append(n).Append("</th>");
        sb.Append("</tr>");
        foreach (var i in top)
        {
            var s = p.Scan.Slices[i];
            sb.Append("<tr><td>").Append(i).Append("</td><td>").Append(E(s.SliceId)).Append("</td><td>")
              .Append(double.IsFinite(s.ZMm) ? s.ZMm.ToString("0.#", Inv) : "").Append("</td>");
            for (var c = 0; c < K; c++) sb.Append("<td>").Append(p.Probabilities[i * K + c].ToString("0.000", Inv)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        var shown = p.Saliency.Where(m => top.Contains(m.SliceIndex)).OrderBy(m => top.IndexOf(m.SliceIndex)).ThenBy(m => m.ClassIndex).ToList();
        if (shown.Count > 0)
        {
            sb.Append("<div>");
            foreach (var slice in shown.GroupBy(m => m.SliceIndex))
            {
                foreach (var m in slice)
                {
                    sb.Append("<figure><img alt=\"Grad-CAM overlay\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(OverlayWriter.Png(p, m)))
                      .Append("\"><figcaption>Grad-CAM: slice ").Append(m.SliceIndex).Append(", ").Append(HemorrhageClasses.Names[m.ClassIndex]).Append(" (p = ")
                      .Append(m.Probability.ToString("0.00", Inv)).Append(')');
                    if (files.TryGetValue((m.SliceIndex, m.ClassIndex), out var rel)) sb.Append("; file ").Append(E(rel));
                    sb.Append("</figcaption></figure>");
                }
                // The segmentation head's own answer to "where is the blood", beside the class-specific Grad-CAM maps.
                if (p.PredictedMasks.TryGetValue(slice.Key, out var mask))
                {
                    sb.Append("<figure><img alt=\"predicted mask overlay\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(OverlayWriter.MaskPng(p, mask)))
                      .Append("\"><figcaption>").Append(PredictedMaskDisplay.Label).Append(": slice ").Append(slice.Key).Append(", blood probability per pixel");
                    if (maskFiles.TryGetValue(slice.Key, out var rel)) sb.Append("; file ").Append(E(rel));
                    sb.Append("</figcaption></figure>");
                }
            }
            sb.Append("</div>");
        }
        else if (p.Saliency.Count == 0) sb.Append("<p>No Grad-CAM maps (no slice reached a class threshold, or Grad-CAM was off).</p>");

        sb.Append("<p>Timings (ms): ").Append(string.Join(", ", p.Timings.Steps.Select(t => $"{t.Step} {t.Ms.ToString("0", Inv)}")))
          .Append(" — ").Append(p.Timings.MsPerSlice(n6).ToString("0.0", Inv)).Append(" ms/slice.</p>");
        foreach (var note in p.Notes) sb.Append("<p>Note: ").Append(E(note)).Append("</p>");
    }

    private static string FlaggedText(IReadOnlyList<bool> flags)
    {
        var names = Enumerable.Range(0, flags.Count).Where(c => flags[c]).Select(c => HemorrhageClasses.Names[c]).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static string Anchor(int index) => $"scan-{index + 1}";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
