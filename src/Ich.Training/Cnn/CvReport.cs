using System.Globalization;
using System.Text;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Metrics;
using Ich.Metrics.Evaluation;
using Ich.Training.Features;

namespace Ich.Training.Cnn;

/// <summary>The best epoch of one fold (lowest validation weighted log-loss) as recorded in <c>metrics.csv</c>.</summary>
public sealed record FoldBest(int Fold, int Epoch, double ValWeightedLogLoss, double AucAny);

/// <summary>A pooled out-of-fold AUC with its 95 % interval from a bootstrap over scans (slices of a scan are not independent).</summary>
public sealed record PooledAuc(string Class, int Positives, double Auc, Interval? Ci95);

/// <summary>What one finished CNN cross-validation run achieved out of fold.</summary>
/// <param name="Fold">When set, only that fold's validation patients were scored.</param>
/// <param name="Dataset">When set, only that dataset's slices were scored (e.g. the real patients apart from the phantoms).</param>
/// <param name="SubtypeSplit">Per subtype, its positive slices against clean slices and against slices that bleed otherwise.</param>
public sealed record CvSummary(
    string Run, string Backbone, string Init, int ImageSize, int Folds, int Epochs,
    IReadOnlyList<FoldBest> BestPerFold, int Slices, int Scans, double OofWeightedLogLoss, IReadOnlyList<PooledAuc> OofAuc,
    int? Fold, IReadOnlyList<NegativeSplitRow> SubtypeSplit, string? Dataset = null);

/// <summary>
/// Reads a CNN run folder (<c>config.json</c>, <c>metrics.csv</c>, the OOF feature store) and summarises the
/// cross-validation: per-fold best epochs and the pooled out-of-fold weighted log-loss and per-class AUC with
/// scan-bootstrap 95 % CIs. Used by <c>ich cv-report</c> and written as <c>oof_metrics.md</c> after training.
/// </summary>
public static class CvReport
{
    /// <summary>Name of the report written into a finished run folder.</summary>
    public const string FileName = "oof_metrics.md";

    /// <summary>Summarises a finished run; a run without a complete OOF store is a <see cref="ConfigException"/>.</summary>
    /// <param name="fold">
    /// Score only this fold's validation patients: a run that trained only its first folds (<c>trainFolds</c>) holds only
    /// theirs, so it is compared with a full run on the same patients this way. Null: every out-of-fold slice.
    /// </param>
    /// <param name="dataset">
    /// Score only the slices of this dataset (its kind as the store records it, e.g. <c>physionet</c>): runs train on
    /// phantoms and real patients together, and the pooled scores hide how each fares. Null: every dataset.
    /// </param>
    public static CvSummary Summarize(string runFolder, int? fold = null, string? dataset = null)
    {
        var run = new RunFolder(runFolder);
        if (!File.Exists(run.ConfigPath)) throw new ConfigException("not a CNN run folder (no config.json)", runFolder);
        if (!File.Exists(Path.Combine(run.OofFeatures, "meta.json")))
            throw new ConfigException("the run has no complete out-of-fold store yet (features/oof/meta.json missing)", runFolder);
        var config = CnnTrainConfig.Load(run.ConfigPath);
        var best = BestPerFold(run.MetricsPath);

        var store = FeatureStore.Open(run.OofFeatures);
        if (dataset is not null && !store.Rows.Any(r => r.Dataset == dataset))
        {
            var known = string.Join(", ", store.Rows.Select(r => r.Dataset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            throw new ConfigException($"the out-of-fold store has no slice of dataset '{dataset}' (it holds: {known})", run.OofFeatures);
        }
        var labelled = store.Rows.Where(r => r.Labels is not null && (fold is null || r.Fold == fold) && (dataset is null || r.Dataset == dataset)).ToList();
        if (labelled.Count == 0)
        {
            var what = (fold, dataset) switch
            {
                ({ } k, { } d) => $" of fold {k} in dataset '{d}'",
                ({ } k, null) => $" of fold {k}",
                (null, { } d) => $" in dataset '{d}'",
                _ => "",
            };
            throw new ConfigException($"the out-of-fold store has no labelled slice{what} to score", run.OofFeatures);
        }
        var probs = store.ReadProbs(0, store.Rows.Count);
        var p = new float[labelled.Count * HemorrhageClasses.Count];
        var y = new float[labelled.Count * HemorrhageClasses.Count];
        for (var i = 0; i < labelled.Count; i++)
        {
            Array.Copy(probs, labelled[i].Row * HemorrhageClasses.Count, p, i * HemorrhageClasses.Count, HemorrhageClasses.Count);
            Array.Copy(labelled[i].Labels!, 0, y, i * HemorrhageClasses.Count, HemorrhageClasses.Count);
        }
        var loss = WeightedLogLoss.ComputeFlat(p, y).Total;
        var groups = labelled.Select(r => r.Dataset + "/" + r.ScanId).ToList();
        var aucs = new List<PooledAuc>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var scores = new double[labelled.Count];
            var truth = new bool[labelled.Count];
            for (var i = 0; i < labelled.Count; i++) { scores[i] = p[i * HemorrhageClasses.Count + c]; truth[i] = y[i * HemorrhageClasses.Count + c] >= 0.5f; }
            var defined = RocAuc.IsDefined(truth);
            aucs.Add(new PooledAuc(HemorrhageClasses.Names[c], truth.Count(t => t),
                defined ? RocAuc.Compute(scores, truth) : double.NaN,
                defined ? BootstrapAuc.Compute(scores, truth, groups)?.Ci95 : null));
        }
        var rows = labelled.Select((r, i) => new EvaluationRow(groups[i], r.SliceId,
            Enumerable.Range(0, HemorrhageClasses.Count).Select(c => (double)p[i * HemorrhageClasses.Count + c]).ToArray(),
            Enumerable.Range(0, HemorrhageClasses.Count).Select(c => y[i * HemorrhageClasses.Count + c] >= 0.5f).ToArray())).ToList();
        return new CvSummary(Path.GetFileName(Path.GetFullPath(runFolder).TrimEnd('/')), config.Backbone, config.Init.ToString(), config.ImageSize,
            config.Folds, config.Epochs, best, labelled.Count, groups.Distinct().Count(), loss, aucs,
            fold, NegativeSplit.Compute("slice", rows, new EvaluationOptions()), dataset);
    }

    /// <summary>
    /// Row names for runs compared side by side: each folder's last path component, or as many trailing components as
    /// it takes to tell the folders apart (runs of one recipe share their leaf name, e.g. <c>cnn-r18in160</c>).
    /// </summary>
    public static IReadOnlyList<string> DistinctNames(IReadOnlyList<string> runFolders)
    {
        var parts = runFolders
            .Select(f => Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
                .Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        var longest = parts.Count == 0 ? 1 : parts.Max(p => p.Length);
        for (var depth = 1; ; depth++)
        {
            var names = parts.Select(p => string.Join('/', p.Skip(Math.Max(0, p.Length - depth)))).ToList();
            // The same folder given twice cannot be told apart: stop at the full path.
            if (names.Distinct(StringComparer.Ordinal).Count() == names.Count || depth >= longest) return names;
        }
    }

    private static List<FoldBest> BestPerFold(string metricsPath)
    {
        var table = CsvTable.Read(metricsPath);
        int fold = table.Require("fold"), epoch = table.Require("epoch"), loss = table.Require("val_weighted_logloss"), any = table.Require("auc_any");
        return table.Rows
            .Select(r => new FoldBest(Int(r[fold]), Int(r[epoch]), Num(r[loss]), Num(r[any])))
            .Where(f => !double.IsNaN(f.ValWeightedLogLoss)) // NaN sorts first: an unscored epoch must not look best
            .GroupBy(f => f.Fold).OrderBy(g => g.Key)
            .Select(g => g.OrderBy(f => f.ValWeightedLogLoss).ThenBy(f => f.Epoch).First()).ToList();
    }

    /// <summary>A markdown table comparing runs (one row each), then the per-fold best epochs.</summary>
    public static string Markdown(IReadOnlyList<CvSummary> runs)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var folds = runs.Select(r => r.Fold).Distinct().ToList();
        var scope = folds is [{ } only] ? $" of fold {only}'s validation patients only" : folds.Any(f => f is not null) ? " (runs scored on different folds: not comparable)" : "";
        var datasets = runs.Select(r => r.Dataset).Distinct().ToList();
        scope += datasets is [{ } one] ? $", {one} slices only" : datasets.Any(d => d is not null) ? " (runs scored on different datasets: not comparable)" : "";
        sb.AppendLine($"Pooled out-of-fold slice-level scores{scope} (each slice scored by the fold model that did not see its patient); " +
                      "95 % CIs: bootstrap over scans, 2,000 resamples.").AppendLine();
        sb.Append("| run | backbone | init | px | slices / scans | OOF weighted log-loss |");
        foreach (var c in HemorrhageClasses.Names) sb.Append(" AUC ").Append(c).Append(" |");
        sb.AppendLine().Append("|---|---|---|---:|---:|---:|").AppendLine(string.Concat(Enumerable.Repeat("---|", HemorrhageClasses.Count)));
        foreach (var r in runs)
        {
            sb.Append(inv, $"| {r.Run} | {r.Backbone} | {r.Init} | {r.ImageSize} | {r.Slices} / {r.Scans} | {r.OofWeightedLogLoss:0.0000} |");
            foreach (var a in r.OofAuc)
                sb.Append(double.IsNaN(a.Auc) ? " – |" : a.Ci95 is { } ci
                    ? string.Create(inv, $" {a.Auc:0.000} ({ci.Low:0.000}–{ci.High:0.000}) |")
                    : string.Create(inv, $" {a.Auc:0.000} |"));
            sb.AppendLine();
        }
        sb.AppendLine().AppendLine("Subtypes: each subtype's positive slices against slices without any bleed (finding blood) and against slices " +
                                   "that bleed otherwise (telling the bleeds apart), as `ich evaluate --split-negatives` scores them.").AppendLine();
        sb.AppendLine("| run | class | positives | against clean slices | against other bleeds |").AppendLine("|---|---|---:|---|---|");
        foreach (var r in runs)
            foreach (var s in r.SubtypeSplit)
                sb.AppendLine(string.Create(inv, $"| {r.Run} | {s.Class} | {s.NPositive} | {Cell(s.Clean)} | {Cell(s.OtherBleed)} |"));
        sb.AppendLine().AppendLine("Best epoch per fold (lowest validation weighted log-loss): epoch, loss, AUC any.").AppendLine();
        var trained = runs.Max(r => r.BestPerFold.Count);
        sb.Append("| run |").Append(string.Concat(Enumerable.Range(0, trained).Select(k => $" fold {k} |"))).AppendLine(" mean loss | mean AUC any |");
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---|", trained))).AppendLine("---:|---:|");
        foreach (var r in runs)
        {
            sb.Append("| ").Append(r.Run).Append(" |");
            foreach (var f in r.BestPerFold) sb.Append(inv, $" {f.Epoch}: {f.ValWeightedLogLoss:0.0000} / {f.AucAny:0.000} |");
            for (var k = r.BestPerFold.Count; k < trained; k++) sb.Append(" |");
            sb.AppendLine(string.Create(inv, $" {r.BestPerFold.Average(f => f.ValWeightedLogLoss):0.0000} | {r.BestPerFold.Average(f => f.AucAny):0.000} |"));
        }
        return sb.ToString();
    }

    private static string Cell(NegativeGroupScore g) => g.Auc is { } auc
        ? string.Create(CultureInfo.InvariantCulture, $"{auc:0.000}") + (g.Bootstrap?.Ci95 is { } ci ? string.Create(CultureInfo.InvariantCulture, $" ({ci.Low:0.000}–{ci.High:0.000})") : "") +
          string.Create(CultureInfo.InvariantCulture, $" [{g.NNegative}]")
        : string.Create(CultureInfo.InvariantCulture, $"– [{g.NNegative}]");

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
    private static double Num(string s) => s.Length == 0 ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
