using Ich.Application.Prediction;
using Ich.Application.Writers;
using Ich.Core.Errors;
using Ich.Data.PhysioNet;
using Ich.Inference.Pipeline;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.Model.Folder;
using Ich.Training.Cnn;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace Ich.Application.TrainAll;

/// <summary>
/// The locked internal test: real development patients that no CNN or sequence fold trained or selected on
/// (<see cref="TrainAllConfig.TrainingDatasets"/> leaves them out), predicted by the finished model folder through the
/// same <see cref="PredictionJob"/> as <c>ich predict</c> on their patient folders, and scored against the dataset's
/// own labels as <c>ich evaluate --format physionet</c> does. Only the PhysioNet CT-ICH layout is supported.
/// </summary>
public static class LockedTestCheck
{
    public static string Folder(TrainAllConfig config) => Path.Combine(config.RunFolder, "locked-test");
    public static string PredictionFolder(TrainAllConfig config) => Path.Combine(Folder(config), "predict");
    private static string Stamp(TrainAllConfig config) => Path.Combine(Folder(config), "done.txt");

    /// <summary>Predictions exist for exactly this patient list and were made by the current model.json.</summary>
    public static bool IsComplete(TrainAllConfig config) =>
        File.Exists(Stamp(config)) && File.Exists(Path.Combine(PredictionFolder(config), CsvOutputWriter.Predictions))
        && File.ReadAllText(Stamp(config)) == StampText(config);

    private static string StampText(TrainAllConfig config) =>
        string.Join(",", config.LockedTest!.Patients) + "\n" + File.ReadAllText(Path.Combine(config.ModelFolder, ModelManifest.FileName));

    private static string Root(TrainAllConfig config)
    {
        var locked = config.LockedTest ?? throw new InvalidOperationException("no lockedTest in the config");
        if (locked.Kind != Ich.Data.Catalog.DatasetKind.PhysioNet)
            throw new ConfigException($"lockedTest: only the '{Ich.Data.Catalog.DatasetKind.PhysioNet}' dataset kind is supported (got '{locked.Kind}')", config.SourcePath);
        return config.Resolve(locked.Path);
    }

    /// <summary>Predicts every locked patient with the model folder into <see cref="PredictionFolder"/>; a patient that cannot be predicted fails the stage.</summary>
    public static void Run(TrainAllConfig config, torch.Device device, ILogger log, IProgress<TrainProgress>? progress, CancellationToken cancel)
    {
        var root = Root(config);
        var patients = config.LockedTest!.Patients.Select(p => Path.Combine(root, PhysioNetJpgDataset.PatientsFolder, p)).ToList();
        foreach (var p in patients.Where(p => !Directory.Exists(p))) throw new ConfigException("lockedTest: patient folder not found", p);
        using var model = ModelBundle.Load(config.ModelFolder, device);
        var outDir = PredictionFolder(config);
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        var request = new PredictionRequest(config.ModelFolder, [new CsvOutputWriter(outDir)])
        {
            Paths = patients,
            Options = new PredictorOptions(16, GradCamMode.None),
        };
        var summary = new PredictionJob(new ActionLogger(w => ApplicationLog.Warning(log, $"locked test: {w}"))).Run(model, request,
            new SyncProgress<PredictionProgress>(p => progress?.Report(new TrainProgress(TrainPhase.LockedTestPrediction, p.Done, p.Total))), cancel);
        // Unlike the phantom check, a locked patient that cannot be predicted is a broken test set, not a statistic.
        var failed = summary.Scans.Where(s => s.Status == ScanStatus.Failed).ToList();
        if (failed.Count > 0)
            throw new ModelInputException($"locked test: {failed.Count} patient(s) could not be predicted: " +
                                          string.Join("; ", failed.Select(f => $"{f.ScanId}: {f.Error}")), root);
        File.WriteAllText(Stamp(config), StampText(config));
    }

    /// <summary>The locked test's scores and how its labels matched.</summary>
    /// <param name="UnpredictedLabelledSlices">Labelled slices of locked patients without a prediction (the dataset lists
    /// a few slices whose JPG is missing; the adapter skips them, so they cannot be predicted).</param>
    public sealed record Result(IReadOnlyList<LevelMetrics> Levels, int Patients, int UnpredictedLabelledSlices);

    /// <summary>
    /// Scores the locked patients at slice and scan level (bootstrap CIs over patients). Every prediction must have a
    /// label and every locked patient must be predicted; anything else is a <see cref="DatasetFormatException"/>.
    /// </summary>
    public static Result Evaluate(TrainAllConfig config)
    {
        var root = Root(config);
        var predictionsPath = Path.Combine(PredictionFolder(config), CsvOutputWriter.Predictions);
        var predictions = PredictionFile.Read(predictionsPath);
        var labels = LabelSet.Read(Path.Combine(root, PhysioNetJpgDataset.LabelFile), LabelFormat.Physionet);
        var joined = EvaluationJoin.Join(predictions, labels, predictionsPath);
        if (joined.Report.PredictionsWithoutLabel > 0)
            throw new DatasetFormatException($"locked test: {joined.Report.PredictionsWithoutLabel} prediction(s) without a label, e.g. " +
                                             string.Join(", ", joined.Report.ExamplePredictionsWithoutLabel), predictionsPath);
        var locked = config.LockedTest!.Patients;
        var predicted = joined.Rows.Select(r => r.ScanId).ToHashSet(StringComparer.Ordinal);
        var missing = locked.Where(p => !predicted.Contains(p)).ToList();
        if (missing.Count > 0)
            throw new DatasetFormatException($"locked test: no prediction for patient(s) {string.Join(", ", missing)}", predictionsPath);
        var lockedSet = locked.ToHashSet(StringComparer.Ordinal);
        var unpredicted = labels.Items.Keys.Count(k => lockedSet.Contains(k.Split('/')[0])) - joined.Rows.Count;
        var options = new EvaluationOptions();
        return new Result([Evaluator.EvaluateLevel("slice", joined.Rows, options), Evaluator.EvaluateLevel("scan", ScanAggregation.MaxOverSlices(joined.Rows), options)],
            locked.Count, unpredicted);
    }
}
