using System.Globalization;
using System.Text;
using Ich.Core;
using Ich.Metrics.Evaluation;

namespace Ich.Metrics.Reporting;

/// <summary>
/// metrics.md: per level a table in the layout of the paper's Table 4 (class rows ICH, EDH, IPH, IVH,
/// SAH, SDH; columns AUC, Specificity, Sensitivity with 95 % CIs), followed by the operating points, log-loss
/// and join summary; and the comparison of several prediction files in the layout of Table 3.
/// </summary>
public static class MetricsMarkdown
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(EvaluationReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Evaluation: {report.Name}");
        sb.AppendLine();
        sb.AppendLine($"Predictions `{report.PredictionsPath}`, labels `{report.LabelsPath}` ({report.Format}).");
        var j = report.Join;
        sb.AppendLine($"Matched {j.Matched} {j.Unit}s; {j.PredictionsWithoutLabel} predicted {j.Unit}s without a label, " +
                      $"{j.LabelsWithoutPrediction} labelled {j.Unit}s without a prediction, {j.DuplicateLabelRows} identical duplicate label rows dropped.");
        sb.AppendLine($"Operating point: {RuleText(report.Options)}. AUC intervals: DeLong (normal approximation) and " +
                      $"bootstrap ({report.Options.BootstrapResamples} resamples of scans, seed {report.Options.BootstrapSeed}); " +
                      "sensitivity/specificity intervals: Wilson.");
        foreach (var n in report.Notes) sb.AppendLine($"- Note: {n}");
        foreach (var level in report.Levels)
        {
            sb.AppendLine();
            sb.AppendLine(level.Level == "scan"
                ? $"## Scan level ({level.N} scans, scan probability = maximum over slices)"
                : $"## {Title(level.Level)} level ({level.N} {level.Level}s, {level.Scans} scans)");
            sb.AppendLine();
            sb.AppendLine("|  | AUC | Specificity | Sensitivity |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var c in level.Classes)
                sb.AppendLine($"| {Abbreviation(c.Name)} | {Estimate(c.Auc, c.DeLong?.Ci95)} | " +
                              $"{Estimate(c.OperatingPoint?.Specificity, c.OperatingPoint?.SpecificityCi95)} | " +
                              $"{Estimate(c.OperatingPoint?.Sensitivity, c.OperatingPoint?.SensitivityCi95)} |");
            sb.AppendLine();
            sb.AppendLine($"Weighted log-loss (RSNA metric, any ×2): {F(level.LogLoss.Total, "0.0000")}");
            sb.AppendLine();
            sb.AppendLine("|  | n+ | n− | AUC 95% CI bootstrap | threshold | TP | FP | TN | FN | PR AUC | log-loss | ECE | note |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var c in level.Classes)
            {
                var op = c.OperatingPoint;
                sb.AppendLine($"| {Abbreviation(c.Name)} | {c.NPositive} | {c.NNegative} | {Ci(c.Bootstrap?.Ci95)} | " +
                              $"{F(op?.Threshold, "0.####")} | {op?.TruePositives.ToString(Inv) ?? "–"} | {op?.FalsePositives.ToString(Inv) ?? "–"} | " +
                              $"{op?.TrueNegatives.ToString(Inv) ?? "–"} | {op?.FalseNegatives.ToString(Inv) ?? "–"} | " +
                              $"{F(c.AveragePrecision, "0.000")} | {F(c.LogLoss, "0.0000")} | {F(c.Calibration.Ece, "0.000")} | {c.Note ?? ""} |");
            }
        }
        if (report.LesionSizes is { } sizes) RenderLesionSizes(sb, report.Options.LesionAreasSource, sizes);
        if (report.Thicknesses is { } thicknesses) RenderThicknesses(sb, report.Options.ThicknessSource, thicknesses);
        if (report.StyleParameters is { } styles) RenderStyles(sb, report.Options.StyleValuesSource, styles);
        if (report.NegativeSplit is { } split) RenderNegativeSplit(sb, split);
        return sb.ToString();
    }

    /// <summary>
    /// The paper's Table 3 layout, one table per level: a row per predictions file with the weighted log-loss
    /// and AUC, specificity and sensitivity (95 % CIs) of the overall ICH ("any") class.
    /// </summary>
    public static string RenderComparison(IReadOnlyList<EvaluationReport> reports, IReadOnlyList<PairedComparison>? paired = null)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Comparison (layout of Wang et al. 2021, Table 3; class: ICH = any)");
        foreach (var level in reports.SelectMany(r => r.Levels.Select(l => l.Level)).Distinct())
        {
            sb.AppendLine();
            sb.AppendLine($"## {Title(level)} level");
            sb.AppendLine();
            sb.AppendLine("|  | Log_loss | AUC | Specificity | Sensitivity |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var r in reports)
            {
                var l = r.Levels.FirstOrDefault(x => x.Level == level);
                if (l is null) { sb.AppendLine($"| {r.Name} | not evaluated | | | |"); continue; }
                var any = l.Classes[0];
                sb.AppendLine($"| {r.Name} | {F(l.LogLoss.Total, "0.000")} | {Estimate(any.Auc, any.DeLong?.Ci95)} | " +
                              $"{Estimate(any.OperatingPoint?.Specificity, any.OperatingPoint?.SpecificityCi95)} | " +
                              $"{Estimate(any.OperatingPoint?.Sensitivity, any.OperatingPoint?.SensitivityCi95)} |");
            }
        }
        foreach (var p in paired ?? []) RenderPaired(sb, p);
        return sb.ToString();
    }

    /// <summary>Per level and class: both AUCs on the common items and their difference with its paired interval.</summary>
    private static void RenderPaired(StringBuilder sb, PairedComparison p)
    {
        sb.AppendLine();
        sb.AppendLine($"## Paired: {p.Other} against {p.Baseline}");
        sb.AppendLine();
        sb.AppendLine($"On the {p.Common} items both files predicted ({p.OnlyBaseline} only in {p.Baseline}, {p.OnlyOther} only in {p.Other}, " +
                      "left out; the scan level is rebuilt from the common slices). Δ = AUC of " + p.Other + " − AUC of " + p.Baseline +
                      ", 95 % interval and share of replicates with Δ > 0 from a paired bootstrap over scans (one draw scores both). " +
                      "\"subtypes (mean)\" is the mean of the subtypes' AUCs that are defined here, each replicate averaging them on its one draw.");
        if (p.Levels.Count == 0) { sb.AppendLine(); sb.AppendLine("No item was predicted by both files: nothing to compare."); return; }
        sb.AppendLine();
        sb.AppendLine($"| level | class | n+ / n− | AUC {p.Baseline} | AUC {p.Other} | Δ (95 % CI) | Δ > 0 in |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var level in p.Levels)
        {
            foreach (var c in level.Classes)
                sb.AppendLine(PairedRow(level.Level, c.Name, $"{c.NPositive} / {c.NNegative}", c.Result));
            sb.AppendLine(PairedRow(level.Level, $"subtypes (mean of {level.SubtypesInMean})", "–", level.SubtypeMean));
        }
    }

    private static string PairedRow(string level, string name, string counts, PairedAucResult? r) => r is null
        ? $"| {level} | {name} | {counts} | undefined | undefined | – | – |"
        : $"| {level} | {name} | {counts} | {F(r.AucBaseline, "0.000")} | {F(r.AucOther, "0.000")} | " +
          $"{F(r.Difference, "+0.000;-0.000;0.000")} ({DifferenceCi(r.Ci95)}) | {ShareHigher(r)} |";

    private static string RuleText(EvaluationOptions o) => o.RuleName switch
    {
        "file" => $"thresholds from `{o.Thresholds!.Source}` (rule there: {o.Thresholds.Rule})",
        "fixed" => $"fixed threshold {F(o.FixedThreshold, "0.####")}",
        "target-sensitivity" => $"highest threshold with sensitivity ≥ {F(o.TargetSensitivity, "0.###")}",
        _ => "Youden point per class (chosen on this set)",
    };

    private static string Title(string level) => char.ToUpperInvariant(level[0]) + level[1..];

    /// <summary>One row per class, one column per size band: AUC (positives in the band), then sensitivity at the threshold.</summary>
    private static void RenderLesionSizes(StringBuilder sb, string? source, IReadOnlyList<LesionSizeStratum> strata)
    {
        var bands = strata.Select(s => (s.MinMm2, s.MaxMm2)).Distinct().ToList();
        sb.AppendLine();
        sb.AppendLine($"## Slice level by lesion size{(source is null ? "" : $" (areas from `{source}`)")}");
        sb.AppendLine();
        sb.AppendLine("Each band's positive slices against every negative slice of the class: AUC (positives in the band) / sensitivity at the threshold above.");
        sb.AppendLine();
        sb.AppendLine("|  | " + string.Join(" | ", bands.Select(b => b.MaxMm2 is { } max
            ? $"{b.MinMm2.ToString("0", Inv)}–{max.ToString("0", Inv)} mm²"
            : $"≥ {b.MinMm2.ToString("0", Inv)} mm²")) + " |");
        sb.AppendLine("|---|" + string.Concat(bands.Select(_ => "---|")));
        foreach (var group in strata.GroupBy(s => s.Class))
            sb.AppendLine($"| {Abbreviation(group.Key)} | " + string.Join(" | ", group.Select(s =>
                s.NPositive == 0 ? "–" : $"{F(s.Auc, "0.000")} ({s.NPositive}) / {F(s.Sensitivity, "0.00")}")) + " |");
    }

    private static void RenderThicknesses(StringBuilder sb, string? source, IReadOnlyList<ThicknessStratum> strata)
    {
        sb.AppendLine();
        sb.AppendLine($"## Slice level by slice thickness{(source is null ? "" : $" (from `{source}`)")}");
        sb.AppendLine();
        sb.AppendLine("Each thickness's slices scored among themselves: AUC with its 95 % bootstrap interval over those scans, positive slices in brackets.");
        sb.AppendLine();
        ThicknessTable(sb, strata);
    }

    /// <summary>The by-thickness table alone (one row per thickness, one column per class), for other reports such as the model card.</summary>
    public static void ThicknessTable(StringBuilder sb, IReadOnlyList<ThicknessStratum> strata)
    {
        sb.AppendLine("| thickness | scans | " + string.Join(" | ", HemorrhageClasses.Abbreviations) + " |");
        sb.AppendLine("|---|---|" + string.Concat(HemorrhageClasses.Abbreviations.Select(_ => "---|")));
        foreach (var group in strata.GroupBy(s => s.ThicknessMm))
            sb.AppendLine($"| {group.Key.ToString("0.###", Inv)} mm | {group.First().Scans} | " + string.Join(" | ", group.Select(s =>
                s.Auc is null ? $"– ({s.NPositive})" : $"{F(s.Auc, "0.000")} {Interval(s.Bootstrap?.Ci95)} ({s.NPositive})")) + " |");
    }

    private static void RenderStyles(StringBuilder sb, string? source, IReadOnlyList<StyleStratum> strata)
    {
        sb.AppendLine();
        sb.AppendLine($"## Slice level by style parameter{(source is null ? "" : $" (from `{source}`)")}");
        sb.AppendLine();
        sb.AppendLine($"Per parameter the scans in groups of one value (at most {StyleStrata.MaxDistinctGroups} values) or in thirds by value, each group's slices scored among themselves: " +
                      "AUC(any) (positive slices); false-positive level = median over its bleed-free scans of their 90th centile of P(any); " +
                      "bleed level = median over its scans with a bleed of their median P(any) on bleeding slices. A few scans per group: a pointer to a cause, not a measurement.");
        sb.AppendLine();
        sb.AppendLine("| parameter | values | scans (bleed-free) | AUC(any) | false-positive level | bleed level |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var s in strata)
        {
            var values = s.Low == s.High ? s.Low.ToString("0.###", Inv) : $"{s.Low.ToString("0.###", Inv)}–{s.High.ToString("0.###", Inv)}";
            sb.AppendLine($"| {s.Parameter} | {values} | {s.Scans} ({s.NegativeScans}) | {F(s.SliceAuc, "0.000")} ({s.PositiveSlices}) | {F(s.FalsePositiveLevel, "0.000")} | {F(s.BleedLevel, "0.000")} |");
        }
    }

    private static void RenderNegativeSplit(StringBuilder sb, IReadOnlyList<NegativeSplitRow> rows)
    {
        sb.AppendLine();
        sb.AppendLine("## Subtypes against clean items and against other bleeds");
        sb.AppendLine();
        sb.AppendLine("Each subtype's positives scored against the items without any bleed (finding blood) and against the items that bleed " +
                      "but not with this subtype (telling the bleeds apart): AUC with its 95 % bootstrap interval over scans, negatives in brackets.");
        sb.AppendLine();
        NegativeSplitTable(sb, rows);
    }

    /// <summary>The negative-split table alone (one row per level and subtype), for other reports such as the model card.</summary>
    public static void NegativeSplitTable(StringBuilder sb, IReadOnlyList<NegativeSplitRow> rows)
    {
        sb.AppendLine("| level | class | positives | against clean items | against other bleeds |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.Level} | {Abbreviation(r.Class)} | {r.NPositive} | {Group(r.Clean)} | {Group(r.OtherBleed)} |");

        static string Group(NegativeGroupScore g) => g.Auc is null ? $"– ({g.NNegative})" : $"{F(g.Auc, "0.000")} {Interval(g.Bootstrap?.Ci95)} ({g.NNegative})";
    }

    private static string Interval(Interval? ci) => ci is { } i ? $"[{i.Low.ToString("0.00", Inv)}–{i.High.ToString("0.00", Inv)}]" : "";

    private static string Abbreviation(string name) => HemorrhageClasses.Abbreviations[HemorrhageClasses.IndexOf(name)];

    private static string Estimate(double? value, Interval? ci) =>
        value is null ? "undefined" : ci is null ? F(value, "0.000") : $"{F(value, "0.000")} ({Ci(ci)})";

    /// <summary>A difference's interval: " to " between the ends, since either may be negative and "a-b" would misread.</summary>
    private static string DifferenceCi(Interval? ci) => ci is { } c ? $"{F(c.Low, "+0.0000;-0.0000;0.0000")} to {F(c.High, "+0.0000;-0.0000;0.0000")}" : "no valid replicate";

    private static string ShareHigher(PairedAucResult r) => r.Valid == 0 ? "– (no valid replicate)" : $"{F(r.ShareOtherHigher * 100, "0")} % of {r.Valid}";

    private static string Ci(Interval? ci) => ci is { } c ? $"{F(c.Low, "0.0000")}-{F(c.High, "0.0000")}" : "–";

    private static string F(double? v, string format) => v is { } x ? x.ToString(format, Inv) : "–";
}
