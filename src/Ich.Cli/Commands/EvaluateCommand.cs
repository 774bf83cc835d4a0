using System.CommandLine;
using Ich.Application.Prediction;
using Ich.Core.Errors;
using Ich.Metrics;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.Metrics.Reporting;
using Ich.Synth.Output;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich evaluate</c>: the paper's metrics (AUC with DeLong and bootstrap CIs, sensitivity/specificity with
/// Wilson CIs, RSNA weighted log-loss, ROC figure) for one or more predictions.csv files against a label
/// file. All computation lives in Ich.Metrics; this verb parses options, shows progress and writes files.
/// </summary>
internal sealed class EvaluateCommand : ICliVerb
{
    public Command Build()
    {
        var pred = new Option<string[]>("--pred")
        {
            Description = "predictions.csv file(s) (scan_id,slice_id,slice_index,z_mm,any,...,subdural); several give a comparison table",
            AllowMultipleArgumentsPerToken = true,
        };
        var stages = new Option<string?>("--stages") { Description = "a stages.csv (ich predict --stages): every CNN, SeqModel1 and SeqModel2 output in it is evaluated and compared like a predictions file, after the --pred files" };
        var stageMeans = new Option<string[]>("--stage-mean")
        {
            Description = "also evaluate the unweighted mean of outputs of the --stages file, written OUT+OUT (e.g. seq1:r18in160+seq2:r18in160); repeatable",
            AllowMultipleArgumentsPerToken = true,
        };
        var labels = new Option<string>("--labels") { Description = "ground-truth file", Required = true };
        var format = new Option<string>("--format") { Description = "label file layout: rsna | physionet | cq500 (phantom: deprecated alias of rsna)", Required = true };
        format.AcceptOnlyFromAmong("rsna", "physionet", "cq500", "phantom");
        var level = new Option<string>("--level") { Description = "slice | scan | both (cq500: scan only)", DefaultValueFactory = _ => "both" };
        level.AcceptOnlyFromAmong("slice", "scan", "both");
        var output = new Option<string>("--out") { Description = "output folder (metrics.json, metrics.md, roc.png)", Required = true };
        var names = new Option<string[]>("--names") { Description = "display names of the --pred files, same order (default: file names; stage outputs are named by their label)", AllowMultipleArgumentsPerToken = true };
        var threshold = new Option<double?>("--threshold") { Description = "fixed operating threshold for every class (score >= threshold is positive)" };
        var target = new Option<double?>("--target-sensitivity") { Description = "per class, the highest threshold reaching this sensitivity (e.g. 0.95 for triage)" };
        var thresholds = new Option<string?>("--thresholds") { Description = "apply thresholds chosen on another set: a metrics.json written by ich evaluate" };
        var resamples = new Option<int>("--bootstrap") { Description = "bootstrap resamples of scans for the AUC CI", DefaultValueFactory = _ => BootstrapAuc.DefaultResamples };
        var seed = new Option<ulong>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => BootstrapAuc.DefaultSeed };
        var masks = new Option<string?>("--masks") { Description = "phantom bleed masks (ich synth's <out>/masks folder): adds slice-level AUC and sensitivity by lesion size" };
        var thickness = new Option<string?>("--scan-thickness") { Description = "CSV of each scan's slice thickness (thickness_mm with scan_id and/or series_uid; ich synth's scans.csv): adds slice-level AUC by slice thickness" };
        var split = new Option<bool>("--split-negatives") { Description = "also score each subtype's positives against clean items (no bleed) and, apart, against items that bleed otherwise: finding blood vs telling the bleeds apart" };
        var styles = new Option<string?>("--style-values") { Description = "CSV of each scan's drawn style parameters (scan_id and/or series_uid, parameter, value; ich synth's style_values.csv): adds slice-level AUC(any) and score levels by parameter value" };

        var command = new Command("evaluate", "compute the paper's metrics (AUC + 95% CI, sensitivity/specificity, weighted log-loss, ROC) from predictions and labels")
        {
            pred, stages, stageMeans, labels, format, level, output, names, threshold, target, thresholds, resamples, seed, masks, thickness, styles, split,
        };
        command.SetAction(parse =>
        {
            using var cancel = new CliCancellation("evaluate: stopping; no further files are evaluated");
            return Run(
                parse.GetValue(pred) ?? [], parse.GetValue(stages), parse.GetValue(stageMeans) ?? [], parse.GetValue(labels)!, parse.GetValue(format)!, parse.GetValue(level)!, parse.GetValue(output)!,
                parse.GetValue(names), parse.GetValue(threshold), parse.GetValue(target), parse.GetValue(thresholds),
                parse.GetValue(resamples), parse.GetValue(seed), parse.GetValue(masks), parse.GetValue(thickness), parse.GetValue(styles), parse.GetValue(split), cancel.Token);
        });
        return command;
    }

    private static int Run(string[] predictions, string? stagesFile, string[] stageMeans, string labels, string format, string level, string output, string[]? names,
        double? threshold, double? target, string? thresholdsFile, int resamples, ulong seed, string? masksFolder, string? thicknessFile, string? stylesFile, bool splitNegatives, CancellationToken cancellationToken)
    {
        EvaluationOptions options;
        List<EvaluationSet> sets;
        var unreadableStages = 0;
        var oneSet = false; // one --pred file and no stages: its results go straight into --out, else one folder per set
        try
        {
            options = new EvaluationOptions
            {
                Levels = level switch { "slice" => EvaluationLevels.Slice, "scan" => EvaluationLevels.Scan, _ => EvaluationLevels.Both },
                FixedThreshold = threshold,
                TargetSensitivity = target,
                Thresholds = thresholdsFile is null ? null : ThresholdSet.Read(thresholdsFile),
                BootstrapResamples = resamples,
                BootstrapSeed = seed,
                LesionAreasMm2 = masksFolder is null ? null : BleedMaskFile.AreasMm2(masksFolder),
                LesionAreasSource = masksFolder,
                ThicknessByScan = thicknessFile is null ? null : ScanThicknessFile.Read(thicknessFile),
                ThicknessSource = thicknessFile,
                StyleValuesByScan = stylesFile is null ? null : ScanStyleValuesFile.Read(stylesFile),
                StyleValuesSource = stylesFile,
                SplitNegatives = splitNegatives,
            };
            options.Validate();
            if (predictions.Length == 0 && stagesFile is null) throw new ConfigException("nothing to evaluate: give --pred FILE... and/or --stages FILE");
            if (stageMeans.Length > 0 && stagesFile is null) throw new ConfigException("--stage-mean averages outputs of a --stages file: give --stages");
            var means = stageMeans.Select(StageFile.ParseMean).ToList();
            sets = DisplayNames(predictions, names).Select((n, i) => new EvaluationSet(n, predictions[i], null)).ToList();
            if (stagesFile is not null)
            {
                var stageSets = StageSets(stagesFile, means);
                if (stageSets is null) unreadableStages = 1;
                else sets.AddRange(stageSets);
            }
            var inputs = predictions.Append(labels).Concat(new[] { stagesFile, thresholdsFile, thicknessFile, stylesFile }.OfType<string>());
            oneSet = predictions.Length == 1 && stagesFile is null;
            GuardInputs(inputs, output, sets.Select(s => s.Name).ToList(), oneSet);
        }
        catch (IchException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        var labelFormat = LabelFormats.Parse(format);
        if (labelFormat == LabelFormat.Phantom)
            Console.Error.WriteLine("warning: --format phantom is deprecated and will be removed in the next release: ich synth's labels.csv uses RSNA IDs, use --format rsna");
        var reports = new List<EvaluationReport>();
        var failures = unreadableStages;
        LabelSet? labelSet = null; // read once for every set
        foreach (var set in sets)
        {
            var folder = oneSet ? output : Path.Combine(output, Sanitise(set.Name));
            try
            {
                var report = WithProgress($"evaluating {set.Name}", progress =>
                {
                    var rows = set.Rows is { } fromStages ? fromStages() : Evaluator.ReadPredictions(set.Source, progress);
                    labelSet ??= Evaluator.ReadLabels(labels, labelFormat, progress);
                    return Evaluator.Run(set.Name, set.Source, rows, labelSet, options, progress, cancellationToken);
                });
                var written = EvaluationOutput.Write(report, folder);
                PrintSummary(report, written);
                reports.Add(report);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("interrupted: no further files evaluated");
                return ExitCodes.Interrupted;
            }
            catch (IchException e)
            {
                Console.Error.WriteLine($"error: {set.Name}: {e.Message}");
                failures++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write the results of {set.Name} into {folder}: {e.Message}");
                failures++;
            }
        }
        var comparisonFailed = false;
        if (sets.Count > 1 && reports.Count > 0)
        {
            try
            {
                // The baseline is the first file that evaluated (the first named, unless it failed); every later one is paired with it.
                var paired = reports.Skip(1).Select(r => PairedComparisons.Compute(reports[0], r, cancellationToken)).ToList();
                Console.WriteLine($"comparison: {string.Join(", ", EvaluationOutput.WriteComparison(reports, output, paired))}");
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("interrupted: the comparison was not written");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write the comparison into {output}: {e.Message}");
                comparisonFailed = true;
            }
        }
        if (failures > 0) Console.Error.WriteLine($"{failures} of {sets.Count + unreadableStages} prediction set(s) failed");
        return failures > 0 || comparisonFailed ? 1 : 0;
    }

    private static T WithProgress<T>(string title, Func<IProgress<EvaluationProgress>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return work(new SyncProgress<EvaluationProgress>(p => Console.Error.WriteLine($"  {ProgressText(p)}")));
        return AnsiConsole.Status().Start(title, ctx => work(new SyncProgress<EvaluationProgress>(p => ctx.Status($"{title}: {Markup.Escape(ProgressText(p))}"))));
    }

    /// <summary>The status line of an evaluation step, e.g. "reading labels.csv (rsna)" or "scan: any".</summary>
    internal static string ProgressText(EvaluationProgress p) => p.Step switch
    {
        EvaluationStep.ReadPredictions => $"reading {p.Path}",
        EvaluationStep.ReadLabels => $"reading {p.Path} ({p.Format?.Name()})",
        EvaluationStep.ClassMetrics => $"{p.Level}: {p.ClassName}",
        _ => p.Step.ToString(),
    };

    private static void PrintSummary(EvaluationReport report, IReadOnlyList<string> written)
    {
        var j = report.Join;
        Console.WriteLine($"{report.Name}: matched {j.Matched} {j.Unit}s; {j.PredictionsWithoutLabel} predicted without label" +
                          (j.ExamplePredictionsWithoutLabel.Count > 0 ? $" (e.g. {string.Join(", ", j.ExamplePredictionsWithoutLabel)})" : "") +
                          $"; {j.LabelsWithoutPrediction} labelled without prediction" +
                          (j.ExampleLabelsWithoutPrediction.Count > 0 ? $" (e.g. {string.Join(", ", j.ExampleLabelsWithoutPrediction)})" : ""));
        foreach (var note in report.Notes) Console.WriteLine($"  note: {note}");
        foreach (var level in report.Levels)
        {
            var any = level.Classes[0];
            Console.WriteLine(FormattableString.Invariant(
                $"  {level.Level}: n={level.N}, weighted log-loss {level.LogLoss.Total:0.0000}, ICH AUC {(any.Auc is { } a ? a.ToString("0.0000") : "undefined")}"));
        }
        foreach (var f in written) Console.WriteLine($"  wrote {f}");
    }

    private static IReadOnlyList<string> DisplayNames(string[] predictions, string[]? names)
    {
        if (names is { Length: > 0 })
        {
            if (names.Length != predictions.Length)
                throw new ConfigException($"--names has {names.Length} name(s) for {predictions.Length} prediction file(s)");
            return names;
        }
        var stems = predictions.Select(p => Path.GetFileNameWithoutExtension(p)).ToArray();
        if (stems.Distinct(StringComparer.Ordinal).Count() == stems.Length) return stems;
        // Same file names in different folders (model-a/predictions.csv, model-b/predictions.csv): use the folder.
        return predictions.Select(p => $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(p)))}-{Path.GetFileNameWithoutExtension(p)}").ToArray();
    }

    /// <summary>Never overwrite an input: refuses an output path that would replace one.</summary>
    private static void GuardInputs(IEnumerable<string> inputs, string output, IReadOnlyList<string> names, bool oneSet)
    {
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ConfigException($"prediction sets need distinct names, got: {string.Join(", ", names)} (use --names)");
        // Names differing only in characters a folder name cannot hold would share a folder and overwrite each other.
        var clash = names.GroupBy(Sanitise, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ConfigException($"prediction sets {string.Join(" and ", clash)} would share the output folder {clash.Key} (use --names)");
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        var folders = oneSet ? [output] : names.Select(n => Path.Combine(output, Sanitise(n))).ToList();
        foreach (var f in folders)
            foreach (var file in new[] { EvaluationOutput.MetricsJsonFile, EvaluationOutput.MetricsMarkdownFile, EvaluationOutput.RocFile })
                outputs.Add(Path.GetFullPath(Path.Combine(f, file)));
        outputs.Add(Path.GetFullPath(Path.Combine(output, EvaluationOutput.ComparisonFile)));
        foreach (var input in inputs)
            if (outputs.Contains(Path.GetFullPath(input)))
                throw new ConfigException("an output file would overwrite this input; choose another --out", input);
    }

    /// <summary>
    /// The sets of a stages file: each output, then each requested mean. A file that cannot be read is reported and
    /// gives no sets (null), so the --pred files are still evaluated; a mean naming an unknown output is a usage error.
    /// </summary>
    private static List<EvaluationSet>? StageSets(string path, IReadOnlyList<IReadOnlyList<string>> means)
    {
        StageFile file;
        try { file = StageFile.Read(path); }
        catch (IchException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return null;
        }
        foreach (var output in means.SelectMany(m => m).Where(o => !file.Outputs.Contains(o)))
            throw new ConfigException($"--stage-mean names '{output}', which is not an output of this file; it holds {string.Join(", ", file.Outputs)}", path);
        return file.Outputs.Select(o => new EvaluationSet(o, $"{path} ({o})", () => file.Rows(o)))
            .Concat(means.Select(m => new EvaluationSet(StageFile.MeanName(m), $"{path} ({StageFile.MeanName(m)})", () => file.Mean(m))))
            .ToList();
    }

    /// <summary>One set of predictions to evaluate: a predictions file (read when evaluated), or rows from a stages file.</summary>
    private sealed record EvaluationSet(string Name, string Source, Func<IReadOnlyList<PredictionRow>>? Rows);

    private static string Sanitise(string name) =>
        string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
