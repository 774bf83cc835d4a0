using Ich.Application.Prediction;
using Ich.Application.Writers;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.Training.Cnn;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace Ich.Application.TrainAll;

/// <summary>
/// The held-out phantom check: phantoms from a seed not used for training, predicted by the finished model
/// folder by the same <see cref="PredictionJob"/> as <c>ich predict</c> (input resolution, series selection, CNN + sequence + ensemble),
/// then scored against the generator's labels as <c>ich evaluate --format rsna</c> does.
/// </summary>
public static class HoldoutCheck
{
    // Every member takes the check's own folder (holdout/, style-shift/), so one class serves every phantom check.
    public static string PhantomFolder(string check) => Path.Combine(check, "phantoms");
    public static string PredictionFolder(string check) => Path.Combine(check, "predict");
    /// <summary>Scans <c>ich predict</c> refused, one per line: scan id, tab, reason.</summary>
    public static string NotPredictedPath(string check) => Path.Combine(check, "not_predicted.txt");
    private static string Stamp(string check) => Path.Combine(check, "done.txt");

    /// <summary>Predictions exist for this phantom set and were made by the current model.json.</summary>
    public static bool IsComplete(TrainAllConfig config, string check, PhantomSetConfig set) =>
        PhantomSet.IsComplete(PhantomFolder(check), set) && File.Exists(Stamp(check))
        && File.Exists(Path.Combine(PredictionFolder(check), CsvOutputWriter.Predictions))
        && File.ReadAllText(Stamp(check)) == ModelStamp(config);

    private static string ModelStamp(TrainAllConfig config) =>
        File.ReadAllText(Path.Combine(config.ModelFolder, ModelManifest.FileName));

    /// <summary>Generates the set if needed, predicts every scan with the model folder and writes predictions.csv.</summary>
    public static void Run(TrainAllConfig config, string check, PhantomSetConfig set, torch.Device device, ILogger log,
        IProgress<TrainProgress>? progress, CancellationToken cancel)
    {
        var phantoms = PhantomFolder(check);
        if (!PhantomSet.IsComplete(phantoms, set))
            PhantomSet.Generate(phantoms, set, (d, t) => progress?.Report(new TrainProgress(TrainPhase.HoldoutPhantoms, d, t)), cancel);
        using var model = ModelBundle.Load(config.ModelFolder, device);
        var outDir = PredictionFolder(check);
        var request = new PredictionRequest(config.ModelFolder, [new CsvOutputWriter(outDir)])
        {
            Paths = [phantoms],
            Options = new PredictorOptions(16, GradCamMode.None),
        };
        var job = new PredictionJob(new ActionLogger(w => ApplicationLog.Warning(log, $"holdout: {w}")));
        var summary = job.Run(model, request,
            new SyncProgress<PredictionProgress>(p => progress?.Report(new TrainProgress(TrainPhase.HoldoutPrediction, p.Done, p.Total))), cancel);
        // A scan `ich predict` cannot predict (e.g. series selection refuses every series) is not
        // scored; it is listed in not_predicted.txt and counted in the model card.
        var failed = summary.Scans.Where(s => s.Status == ScanStatus.Failed).ToList();
        foreach (var f in failed) ApplicationLog.Warning(log, $"holdout: {f.ScanId} not predicted: {f.Error}");
        if (failed.Count == summary.Scans.Count) throw new Ich.Core.Errors.ModelInputException("no held-out phantom scan could be predicted", phantoms);
        File.WriteAllLines(NotPredictedPath(check), failed.Select(f => $"{f.ScanId}\t{f.Error?.ReplaceLineEndings(" ")}"));
        File.WriteAllText(Stamp(check), ModelStamp(config));
    }

    /// <summary>
    /// Scores the held-out predictions at slice and scan level (bootstrap CIs over scans), as <c>ich evaluate
    /// --format rsna</c> does (labels.csv and predictions.csv both name slices by their SOP Instance UID); every
    /// prediction must match a label.
    /// </summary>
    public static IReadOnlyList<LevelMetrics> Evaluate(string check)
    {
        var rows = Rows(check);
        var options = new EvaluationOptions();
        return [Evaluator.EvaluateLevel("slice", rows, options), Evaluator.EvaluateLevel("scan", ScanAggregation.MaxOverSlices(rows), options)];
    }

    /// <summary>
    /// Slice-level AUC per slice thickness, each thickness's slices among themselves, as <c>ich evaluate --scan-thickness</c>
    /// does with the phantoms' scans.csv: a pooled AUC can hide that a detector fails on thin series.
    /// </summary>
    public static IReadOnlyList<ThicknessStratum> EvaluateByThickness(string check)
    {
        var scans = Path.Combine(PhantomFolder(check), "scans.csv");
        return ThicknessStrata.Compute(Rows(check), ScanThicknessFile.Read(scans), new EvaluationOptions()).Strata;
    }

    private static List<EvaluationRow> Rows(string check)
    {
        var predictionsPath = Path.Combine(PredictionFolder(check), CsvOutputWriter.Predictions);
        var predictions = PredictionFile.Read(predictionsPath);
        var labels = LabelSet.Read(Path.Combine(PhantomFolder(check), "labels.csv"), LabelFormat.Rsna);
        var rows = new List<EvaluationRow>();
        foreach (var p in predictions)
        {
            if (!labels.Items.TryGetValue(p.SliceId, out var y))
                throw new Ich.Core.Errors.DatasetFormatException($"held-out prediction for slice {p.SliceId} has no label", predictionsPath, p.Line);
            rows.Add(new EvaluationRow(p.ScanId, p.SliceId, p.Probabilities, y));
        }
        return rows;
    }
}
