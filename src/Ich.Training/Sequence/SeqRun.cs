using System.Globalization;
using System.Text;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Model.Sequence;
using Ich.Training.Ensemble;
using Ich.Training.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ich.Training.Sequence;

/// <summary>What one <c>ich train seq</c> run produced.</summary>
/// <param name="OutFolder">The run folder.</param>
/// <param name="Systems">Per system, its OOF result.</param>
/// <param name="Ablation">Rows of the ablation table.</param>
/// <param name="SkippedUnlabelled">Scans skipped because some slice had no labels.</param>
public sealed record SeqRunResult(string OutFolder, IReadOnlyList<SystemResult> Systems, IReadOnlyList<StageScores> Ablation, int SkippedUnlabelled,
    IReadOnlyList<ClassOperatingPoint> OperatingPoint);

/// <summary>
/// <c>ich train seq</c>: trains every sequence system of the config with k-fold CV by patient, averages
/// the systems (the ensemble), scores each stage out of fold (<c>ablation.md</c>/<c>.json</c>), writes
/// the checkpoints and <c>sequence.json</c> (the sequence part of a model folder), the OOF predictions,
/// the epoch log and, when test stores are given, fold- and flip-averaged test predictions.
/// </summary>
public static class SeqRun
{
    public const string ManifestFile = "sequence.json";
    public const string OperatingPointFile = "operating_point.json";

    public static SeqRunResult Run(SeqTrainConfig config, ILogger? log = null, CancellationToken cancel = default)
    {
        log ??= NullLogger.Instance;
        var outDir = config.Resolve(config.Out);
        Directory.CreateDirectory(outDir);
        var stores = config.OofStores.ToDictionary(kv => kv.Key, kv => OpenStore(config.Resolve(kv.Value), FeatureStoreMeta.KindOof));
        var trainer = new SequenceTrainer(config, log);
        var resumeKey = SettingsFingerprint.Of(config);
        var results = new List<SystemResult>();
        var skipped = 0;
        foreach (var system in config.EffectiveSystems())
        {
            var (name, scans, options, skip) = LoadSystem(config, stores, system);
            skipped = Math.Max(skipped, skip);
            var slices = scans.Sum(s => s.Data.Length);
            TrainingLog.SequenceSystem(log, name, scans.Count, slices, config.Folds);
            results.Add(trainer.Train(name, system, options, scans, SystemFolder(outDir, name), resumeKey, cancel));
        }

        var ablation = Score(results);
        AblationTable.Write(outDir, ablation,
            $"Out-of-fold scores ({config.Folds}-fold CV by patient, seed {config.Seed}); sequence predictions are " +
            "whole-scan, forward + reversed pass. CNN rows are the stage-1 OOF probabilities the sequence stage was trained on " +
            "(mean over a system's backbones). The ensemble is the unweighted mean of the systems' SeqModel2 probabilities.");
        WriteOof(outDir, results);
        WriteEpochLog(outDir, trainer.EpochLog);
        WriteManifest(outDir, config, results, stores);
        var (_, ensembleScans) = EnsembleScans(results);
        var operatingPoint = TriageOperatingPoint.Choose(ensembleScans, config.TargetSensitivity);
        File.WriteAllText(Path.Combine(outDir, OperatingPointFile), JsonSerializer.Serialize(operatingPoint, SeqTrainConfig.JsonOptions));
        if (config.TestStores.Count > 0) PredictTest(outDir, config, results, log);
        return new SeqRunResult(outDir, results, ablation, skipped, operatingPoint);
    }

    /// <summary>A system's name (its backbones joined by '+', as <c>systems/&lt;name&gt;</c> spells it), scans and network shape.</summary>
    private static (string Name, List<SeqScan> Scans, Ich.Model.Sequence.SequenceNetOptions Options, int Skipped) LoadSystem(
        SeqTrainConfig config, IReadOnlyDictionary<string, FeatureStore> stores, IReadOnlyList<string> system)
    {
        var name = SystemName(system);
        var systemStores = system.Select(b => stores[b]).ToList();
        var (scans, skip) = SequenceDataset.Load(systemStores, config.UnknownSpacingMm, requireLabels: true);
        if (scans.Count == 0) throw new ConfigException($"system {name}: no labelled scans in the OOF stores");
        var options = config.Network with
        {
            FeatureSets = system.Count,
            ProbabilitySets = system.Count,
            FeatureDim = systemStores.Max(s => s.Meta.Dim),
            UseThickness = false,
        };
        return (name, scans.ToList(), options, skip);
    }

    private static string SystemName(IReadOnlyList<string> system) => string.Join('+', system);

    private static string SystemFolder(string outDir, string name) => Path.Combine(outDir, "systems", name);

    /// <summary>
    /// Every (system, fold) of the config not yet finished with these settings at the current libtorch thread count, in
    /// the order <see cref="Run"/> trains them: the jobs a pool of worker processes (<see cref="TrainFold"/>) can share.
    /// </summary>
    public static IReadOnlyList<(string System, int Fold)> PendingFolds(SeqTrainConfig config)
    {
        var outDir = config.Resolve(config.Out);
        var key = SettingsFingerprint.Of(config);
        return config.EffectiveSystems().Select(SystemName)
            .SelectMany(name => Enumerable.Range(0, config.Folds).Select(k => (System: name, Fold: k)))
            .Where(j => !SequenceTrainer.IsFinished(SystemFolder(outDir, j.System), j.System, j.Fold, key))
            .ToList();
    }

    /// <summary>
    /// Trains one fold of one system (<c>ich train seq --fold SYSTEM:K</c>, a worker of <c>ich train all</c>) and saves it where
    /// <see cref="Run"/> finds it, so a later <see cref="Run"/> at the same thread count loads the fold instead of training
    /// it and writes what an uninterrupted run writes. False when the fold was already finished. An unknown system or a
    /// fold out of range is a <see cref="ConfigException"/>.
    /// </summary>
    public static bool TrainFold(SeqTrainConfig config, string system, int fold, ILogger? log = null, CancellationToken cancel = default)
    {
        var members = config.EffectiveSystems().FirstOrDefault(s => SystemName(s) == system)
                      ?? throw new ConfigException($"no system '{system}' in the config (systems: {string.Join(", ", config.EffectiveSystems().Select(SystemName))})");
        if (fold < 0 || fold >= config.Folds) throw new ConfigException($"fold {fold} is not one of the config's folds (0..{config.Folds - 1})");
        var outDir = config.Resolve(config.Out);
        var stores = members.Distinct().ToDictionary(b => b, b => OpenStore(config.Resolve(config.OofStores[b]), FeatureStoreMeta.KindOof));
        var (name, scans, options, _) = LoadSystem(config, stores, members);
        return new SequenceTrainer(config, log).TrainOneFold(name, options, scans, SystemFolder(outDir, name), fold, SettingsFingerprint.Of(config), cancel);
    }

    private static FeatureStore OpenStore(string folder, string kind)
    {
        var store = FeatureStore.Open(folder);
        if (store.Meta.Kind != kind)
            throw new ConfigException($"feature store is kind '{store.Meta.Kind}', expected '{kind}'", folder);
        // A CNN run that trained only some folds (trainFolds) has out-of-fold rows for only those folds' patients:
        // a sequence stage trained on it would silently lose the others.
        if (kind == FeatureStoreMeta.KindOof && store.Rows.Select(r => r.Fold).Distinct().Count() is var present && present < store.Meta.Folds)
            throw new ConfigException($"the out-of-fold store covers {present} of its {store.Meta.Folds} CNN folds (a run with trainFolds): the sequence stage needs every training patient", folder);
        return store;
    }

    /// <summary>Ablation rows: per system CNN, +SeqModel1, +SeqModel2; then the ensemble over systems.</summary>
    public static List<StageScores> Score(IReadOnlyList<SystemResult> results)
    {
        var rows = new List<StageScores>();
        foreach (var r in results)
        {
            List<(float[], float[])> Paired(Func<int, float[]> probabilities) =>
                r.Scans.Select((scan, i) => (probabilities(i), scan.Data.Labels!)).ToList();
            rows.Add(StageScores.Compute($"2D-CNN ({r.Name})", Paired(i => CnnMean(r.Scans[i]))));
            rows.Add(StageScores.Compute($"2D-CNN + SeqModel1 ({r.Name})", Paired(i => r.Oof[i].Stage1)));
            rows.Add(StageScores.Compute($"2D-CNN + SeqModel1 + SeqModel2 ({r.Name})", Paired(i => r.Oof[i].Stage2)));
        }
        var (_, ensemble) = EnsembleScans(results);
        rows.Add(StageScores.Compute(results.Count > 1 ? $"Model ensemble (mean of {results.Count} systems)" : "Model ensemble (single system)",
            ensemble));
        return rows;
    }

    /// <summary>Mean of a scan's CNN probability sets, [L, 6].</summary>
    public static float[] CnnMean(SeqScan scan) => ProbabilityEnsemble.Average(scan.Data.Probabilities);

    /// <summary>Per scan (keys in the first system's order), the ensemble's SeqModel2 probabilities and the labels.</summary>
    private static (List<(string, string)> Keys, List<(float[] Probabilities, float[] Labels)> Scans) EnsembleScans(IReadOnlyList<SystemResult> results)
    {
        var first = results[0];
        var keys = first.Scans.Select(s => (s.Dataset, s.ScanId)).ToList();
        var maps = results.Select(r => r.Scans.Select((s, i) => (s, i)).ToDictionary(x => (x.s.Dataset, x.s.ScanId), x => x.i)).ToList();
        var scans = new List<(float[], float[])>();
        foreach (var key in keys)
        {
            var members = new List<float[]>();
            for (var r = 0; r < results.Count; r++)
            {
                if (!maps[r].TryGetValue(key, out var i))
                    throw new DatasetFormatException($"scan {key.Item1}/{key.Item2} is missing from system {results[r].Name}", null);
                members.Add(results[r].Oof[i].Stage2);
            }
            scans.Add((ProbabilityEnsemble.Average(members), first.Scans[maps[0][key]].Data.Labels!));
        }
        return (keys, scans);
    }

    private static void WriteOof(string outDir, IReadOnlyList<SystemResult> results)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var r in results)
        {
            var sb = new StringBuilder("dataset,patient_id,scan_id,slice_id,slice_index,seq_fold");
            foreach (var prefix in new[] { "label", "cnn", "seq1", "seq2" })
                foreach (var c in HemorrhageClasses.Names) sb.Append(',').Append(prefix).Append('_').Append(c);
            sb.Append('\n');
            for (var s = 0; s < r.Scans.Count; s++)
            {
                var scan = r.Scans[s];
                var cnn = CnnMean(scan);
                for (var i = 0; i < scan.Data.Length; i++)
                {
                    sb.Append(Csv(scan.Dataset)).Append(',').Append(Csv(scan.PatientId)).Append(',').Append(Csv(scan.ScanId)).Append(',')
                      .Append(Csv(scan.SliceIds[i])).Append(',').Append(i.ToString(inv)).Append(',').Append(r.Folds[s].ToString(inv));
                    foreach (var arr in new[] { scan.Data.Labels!, cnn, r.Oof[s].Stage1, r.Oof[s].Stage2 })
                        for (var c = 0; c < HemorrhageClasses.Count; c++) sb.Append(',').Append(arr[i * HemorrhageClasses.Count + c].ToString("G6", inv));
                    sb.Append('\n');
                }
            }
            File.WriteAllText(Path.Combine(outDir, $"oof_{r.Name}.csv"), sb.ToString());
        }
    }

    private static void WriteEpochLog(string outDir, IReadOnlyList<SeqEpochLog> epochs)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("system,fold,epoch,lr,steps,train_loss,val_logloss_seq1,val_logloss_seq2,best\n");
        foreach (var e in epochs)
            sb.Append(Csv(e.System)).Append(',').Append(e.Fold.ToString(inv)).Append(',').Append(e.Epoch.ToString(inv)).Append(',')
              .Append(e.LearningRate.ToString("G6", inv)).Append(',').Append(e.Steps.ToString(inv)).Append(',').Append(e.TrainLoss.ToString("G6", inv)).Append(',')
              .Append(e.ValLogLossStage1.ToString("G6", inv)).Append(',').Append(e.ValLogLossStage2.ToString("G6", inv)).Append(',')
              .Append(e.Best ? "1" : "0").Append('\n');
        File.WriteAllText(Path.Combine(outDir, "training_log.csv"), sb.ToString());
    }

    private static void WriteManifest(string outDir, SeqTrainConfig config, IReadOnlyList<SystemResult> results, Dictionary<string, FeatureStore> stores)
    {
        var manifest = new SequenceManifest(
            results.Select(r => new SequenceSystemEntry(r.Name, r.Backbones.ToList(),
                r.Backbones.Select(b => stores[b].Meta.Dim).ToList(), r.Options,
                r.Checkpoints.Select(c => Path.GetRelativePath(outDir, c)).ToList())).ToList(),
            config.HalfPrecision ? "float16" : "float32", config.UnknownSpacingMm);
        File.WriteAllText(Path.Combine(outDir, ManifestFile), JsonSerializer.Serialize(manifest, SeqTrainConfig.JsonOptions));
    }

    private static void PredictTest(string outDir, SeqTrainConfig config, IReadOnlyList<SystemResult> results, ILogger log)
    {
        var testStores = config.TestStores.ToDictionary(kv => kv.Key, kv => OpenStore(config.Resolve(kv.Value), FeatureStoreMeta.KindTest));
        var perSystem = new List<(List<SeqScan> Scans, IReadOnlyList<SequencePrediction> Pred)>();
        foreach (var r in results)
        {
            var (scans, _) = SequenceDataset.Load(r.Backbones.Select(b => testStores[b]).ToList(), config.UnknownSpacingMm, requireLabels: false);
            var nets = r.Checkpoints.Select(path => { var n = new SliceSequenceNet(r.Options); StateFile.Load(n, path); return n; }).ToList();
            perSystem.Add((scans, SequencePredictor.Predict(nets, scans.Select(s => s.Data).ToList(), true, config.BatchScans)));
            foreach (var n in nets) n.Dispose();
            TrainingLog.SequenceTestPredicted(log, r.Name, scans.Count, r.Checkpoints.Count);
        }
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("dataset,patient_id,scan_id,slice_id,slice_index");
        foreach (var c in HemorrhageClasses.Names) sb.Append(',').Append(c);
        sb.Append('\n');
        var first = perSystem[0].Scans;
        var maps = perSystem.Select(p => p.Scans.Select((s, i) => (s, i)).ToDictionary(x => (x.s.Dataset, x.s.ScanId), x => x.i)).ToList();
        foreach (var scan in first)
        {
            var members = perSystem.Select((p, r) => p.Pred[maps[r][(scan.Dataset, scan.ScanId)]].Stage2).ToList();
            var mean = ProbabilityEnsemble.Average(members);
            for (var i = 0; i < scan.Data.Length; i++)
            {
                sb.Append(Csv(scan.Dataset)).Append(',').Append(Csv(scan.PatientId)).Append(',').Append(Csv(scan.ScanId)).Append(',')
                  .Append(Csv(scan.SliceIds[i])).Append(',').Append(i.ToString(inv));
                for (var c = 0; c < HemorrhageClasses.Count; c++) sb.Append(',').Append(mean[i * HemorrhageClasses.Count + c].ToString("G6", inv));
                sb.Append('\n');
            }
        }
        File.WriteAllText(Path.Combine(outDir, "test_predictions.csv"), sb.ToString());
    }

    private static string Csv(string v) => v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
