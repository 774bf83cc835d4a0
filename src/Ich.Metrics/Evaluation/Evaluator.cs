using Ich.Core;
using Ich.Core.Errors;
using Ich.Metrics.Labels;

namespace Ich.Metrics.Evaluation;

/// <summary>
/// The whole of <c>ich evaluate</c> short of writing files: read, join, aggregate to scans, and compute
/// every metric per level and class.
/// </summary>
public static class Evaluator
{
    /// <summary>Reads both files, joins them and evaluates.</summary>
    /// <param name="name">Display name of this predictions file (comparison tables, figure titles).</param>
    public static EvaluationReport Run(string name, string predictionsPath, string labelsPath, LabelFormat format,
        EvaluationOptions options, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate(); // before reading: a bad option must not wait for a large file
        var predictions = ReadPredictions(predictionsPath, progress);
        return Run(name, predictionsPath, predictions, ReadLabels(labelsPath, format, progress), options, progress, cancellationToken);
    }

    /// <summary>Reads a predictions.csv, reporting the step.</summary>
    public static IReadOnlyList<PredictionRow> ReadPredictions(string path, IProgress<EvaluationProgress>? progress = null)
    {
        progress?.Report(new EvaluationProgress(EvaluationStep.ReadPredictions) { Path = path });
        return PredictionFile.Read(path);
    }

    /// <summary>Reads a label file, reporting the step; one read can serve several evaluations.</summary>
    public static LabelSet ReadLabels(string path, LabelFormat format, IProgress<EvaluationProgress>? progress = null)
    {
        progress?.Report(new EvaluationProgress(EvaluationStep.ReadLabels) { Path = path, Format = format });
        return LabelSet.Read(path, format);
    }

    /// <summary>Joins predictions already read (e.g. one output of a stages file) with labels already read and evaluates.</summary>
    /// <param name="predictionsPath">Where the predictions came from, for messages and the report.</param>
    public static EvaluationReport Run(string name, string predictionsPath, IReadOnlyList<PredictionRow> predictions, LabelSet labels,
        EvaluationOptions options, IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var format = labels.Format;
        var notes = new List<string>();
        var levels = options.Levels;
        if (!format.HasSliceLabels())
        {
            if (levels == EvaluationLevels.Slice)
                throw new ConfigException($"{format.Name()} labels are per scan: --level slice is not possible (use --level scan)");
            if (levels.HasFlag(EvaluationLevels.Slice))
                notes.Add($"{format.Name()} labels are per scan: only the scan level is evaluated");
            levels = EvaluationLevels.Scan;
        }
        var joined = EvaluationJoin.Join(predictions, labels, predictionsPath);
        const string corruptRsnaImage = "ID_6431af929";
        if (labels.Items.ContainsKey(corruptRsnaImage) && predictions.All(p => p.SliceId != corruptRsnaImage))
            notes.Add($"{corruptRsnaImage} is the RSNA image known to be corrupt; a missing prediction for it is expected");

        if (options.LesionAreasMm2 is not null && (!levels.HasFlag(EvaluationLevels.Slice) || joined.Unit != "slice"))
            throw new ConfigException("lesion sizes are per slice: a size breakdown needs slice labels and --level slice or both");
        if (options.ThicknessByScan is not null && (!levels.HasFlag(EvaluationLevels.Slice) || joined.Unit != "slice"))
            throw new ConfigException("the thickness breakdown scores slices: it needs slice labels and --level slice or both");
        if (options.StyleValuesByScan is not null && (!levels.HasFlag(EvaluationLevels.Slice) || joined.Unit != "slice"))
            throw new ConfigException("the style breakdown scores slices: it needs slice labels and --level slice or both");
        var results = new List<LevelMetrics>();
        var split = options.SplitNegatives ? new List<NegativeSplitRow>() : null;
        IReadOnlyList<LesionSizeStratum>? sizes = null;
        IReadOnlyList<ThicknessStratum>? thicknesses = null;
        IReadOnlyList<StyleStratum>? styles = null;
        if (levels.HasFlag(EvaluationLevels.Slice))
        {
            var slice = EvaluateLevel("slice", joined.Rows, options, progress, cancellationToken);
            results.Add(slice);
            split?.AddRange(NegativeSplit.Compute("slice", joined.Rows, options, cancellationToken));
            if (options.LesionAreasMm2 is { } areas)
            {
                var (strata, withoutSize) = LesionSizeStrata.Compute(joined.Rows, areas, slice.Classes.Select(c => c.OperatingPoint?.Threshold).ToList(),
                    options, cancellationToken);
                sizes = strata;
                if (withoutSize > 0)
                    notes.Add($"{withoutSize} positive slice labels (slice, class) have no lesion area in {options.LesionAreasSource ?? "the areas given"} " +
                              "(no entry for the slice, or an empty mask of that class) and are in no size band");
            }
            if (options.ThicknessByScan is { } byScan)
            {
                var (strata, withoutThickness) = ThicknessStrata.Compute(joined.Rows, byScan, options, cancellationToken);
                thicknesses = strata;
                if (withoutThickness > 0)
                    notes.Add($"{withoutThickness} scans have no thickness in {options.ThicknessSource ?? "the thicknesses given"} and are in no thickness group");
            }
            if (options.StyleValuesByScan is { } valuesByScan)
            {
                var (strata, withoutValues) = StyleStrata.Compute(joined.Rows, valuesByScan, cancellationToken);
                styles = strata;
                if (withoutValues > 0)
                    notes.Add($"{withoutValues} scans have no style values in {options.StyleValuesSource ?? "the values given"} and are in no style group");
            }
        }
        if (levels.HasFlag(EvaluationLevels.Scan))
        {
            var scans = joined.Unit == "scan" ? joined.Rows : ScanAggregation.MaxOverSlices(joined.Rows);
            results.Add(EvaluateLevel("scan", scans, options, progress, cancellationToken));
            split?.AddRange(NegativeSplit.Compute("scan", scans, options, cancellationToken));
        }
        return new EvaluationReport(name, predictionsPath, labels.Path, format.Name(), options, joined.Report, results, notes) { LesionSizes = sizes, Thicknesses = thicknesses, StyleParameters = styles, NegativeSplit = split, JoinedRows = joined.Rows };
    }

    /// <summary>
    /// Metrics of one level. The bootstrap resamples <see cref="EvaluationRow.ScanId"/> clusters, so at slice
    /// level whole scans are drawn and at scan level single scans.
    /// </summary>
    public static LevelMetrics EvaluateLevel(string level, IReadOnlyList<EvaluationRow> rows, EvaluationOptions options,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) throw new ArgumentException($"no rows at the {level} level");
        var groups = rows.Select(r => r.ScanId).ToArray();
        var logLoss = WeightedLogLoss.Compute(rows.Select(r => r.Probabilities).ToArray(), rows.Select(r => r.Labels).ToArray());
        var classes = new List<ClassMetrics>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = HemorrhageClasses.Names[c];
            progress?.Report(new EvaluationProgress(EvaluationStep.ClassMetrics) { Level = level, ClassName = name });
            var scores = rows.Select(r => r.Probabilities[c]).ToArray();
            var labels = rows.Select(r => r.Labels[c]).ToArray();
            classes.Add(EvaluateClass(level, name, scores, labels, groups, logLoss.PerClass[c], options, cancellationToken));
        }
        return new LevelMetrics(level, rows.Count, groups.Distinct(StringComparer.Ordinal).Count(), logLoss, classes);
    }

    private static ClassMetrics EvaluateClass(string level, string name, double[] scores, bool[] labels, string[] groups,
        double logLoss, EvaluationOptions options, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var (p, n) = (labels.Count(y => y), labels.Count(y => !y));
        if (p == 0) notes.Add("no positive cases: AUC, sensitivity and PR AUC are undefined");
        if (n == 0) notes.Add("no negative cases: AUC and specificity are undefined");
        var auc = RocAuc.IsDefined(labels) ? RocAuc.Compute(scores, labels) : (double?)null;
        var delong = DeLong.Compute(scores, labels);
        if (auc is not null && delong is null) notes.Add("fewer than two positives or negatives: no DeLong interval");
        var bootstrap = BootstrapAuc.Compute(scores, labels, groups, options.BootstrapResamples, options.BootstrapSeed, cancellationToken);
        if (bootstrap is { Ci95: null }) notes.Add("no bootstrap replicate contained both classes");
        else if (bootstrap is not null && bootstrap.Valid < bootstrap.Resamples)
            notes.Add($"{bootstrap.Resamples - bootstrap.Valid} of {bootstrap.Resamples} bootstrap replicates lacked a class and were left out");

        OperatingPoint? point;
        if (options.Thresholds is { } file)
        {
            var t = file.Get(level, name);
            point = t is null ? null : OperatingPoints.AtThreshold(scores, labels, t.Value);
            if (t is null) notes.Add("the thresholds file has no threshold for this class (undefined where it was chosen)");
        }
        else if (options.FixedThreshold is { } fixedThreshold) point = OperatingPoints.AtThreshold(scores, labels, fixedThreshold);
        else if (options.TargetSensitivity is { } target) point = OperatingPoints.AtTargetSensitivity(scores, labels, target);
        else point = OperatingPoints.Youden(scores, labels);
        if (point is null && options.Thresholds is null)
            notes.Add(options.TargetSensitivity is null
                ? "the Youden point needs both classes: no threshold, sensitivity or specificity"
                : "a target sensitivity needs positive cases: no threshold, sensitivity or specificity");

        var ap = AveragePrecision.Compute(scores, labels);
        return new ClassMetrics(name, p, n, auc, delong, bootstrap, point, double.IsNaN(ap) ? null : ap, logLoss,
            Calibration.Compute(scores, labels, options.CalibrationBins), RocCurve.Compute(scores, labels), notes);
    }
}
