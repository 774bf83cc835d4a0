using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Model.Cnn;
using Ich.Training.Features;
using TorchSharp;

namespace Ich.Training.Cnn;

/// <summary>
/// <c>ich features</c>: fold-averaged, test-time-augmented probabilities and features of a trained run on any
/// scans, written as a <c>kind = "test"</c> feature store (fold = -1).
/// </summary>
public static class CnnFeatureRun
{
    /// <summary>
    /// Reads a run's config and fold checkpoints: every fold's, or with <paramref name="fold"/> that one fold's (which a run
    /// that trained only some folds, <c>trainFolds</c>, also has). A missing or incomplete run is a <see cref="ConfigException"/>.
    /// </summary>
    public static (CnnTrainConfig Config, List<string> Checkpoints) OpenRun(string runDir, int? fold = null)
    {
        var run = new RunFolder(runDir);
        var config = CnnTrainConfig.Load(run.ConfigPath);
        if (fold is { } k && (k < 0 || k >= config.TrainedFolds))
            throw new ConfigException($"fold {k} is not one the run trained (0..{config.TrainedFolds - 1})", run.ConfigPath);
        if (fold is null && config.TrainedFolds < config.Folds)
            throw new ConfigException($"the run trained only {config.TrainedFolds} of its {config.Folds} folds (trainFolds): its models are for comparing on those folds, not for features (one fold's model: --fold)", run.ConfigPath);
        var checkpoints = (fold is { } one ? [one] : Enumerable.Range(0, config.Folds)).Select(run.BestModel).ToList();
        var missing = checkpoints.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null) throw new ConfigException("run has no best checkpoint for every fold (training incomplete?)", missing);
        return (config, checkpoints);
    }

    /// <summary>
    /// Writes the store to <paramref name="outDir"/>; <paramref name="tta"/> overrides the run's TTA passes; with
    /// <paramref name="fold"/>, only that fold's model (the store's <c>folds</c> is then 1).
    /// </summary>
    public static FeatureStoreMeta Write(string runDir, IReadOnlyList<ScanRecord> scans, string outDir, int? tta, torch.Device device,
        Action<long, long>? progress, CancellationToken cancel, int? fold = null)
    {
        var (config, checkpoints) = OpenRun(runDir, fold);
        if (tta is < 1) throw new ConfigException($"--tta {tta} must be ≥ 1");
        config = config with { Tta = tta ?? config.Tta };
        var models = new List<SliceCnn>();
        try
        {
            foreach (var c in checkpoints)
            {
                var m = CnnModels.Load(config.Backbone, c);
                m.to(device);
                models.Add(m);
            }
            var table = new SliceTable(scans, config.ImageSize, config.Framing, config.SlabMm);
            using var writer = new FeatureStoreWriter(outDir, config.Backbone, models[0].FeatureDim, FeatureStoreMeta.KindTest,
                config.Tta, config.ImageSize, checkpoints.Count);
            CnnFeatureExtractor.Write(table, Enumerable.Range(0, scans.Count).ToList(), models, config, -1, writer, device, progress, cancel, releaseImages: true);
            return writer.Complete();
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }
}
