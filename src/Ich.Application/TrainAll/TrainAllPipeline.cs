using System.Diagnostics;
using System.Text.Json;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Application.Workers;
using Ich.Model.Runtime;
using Ich.Training.Cnn;
using Ich.Training.Features;
using Ich.Training.Sequence;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace Ich.Application.TrainAll;

/// <summary>What <see cref="TrainAllPipeline.Run"/> did.</summary>
/// <param name="Completed">False when cancelled (every finished stage is kept; run again to continue).</param>
/// <param name="ModelFolder">The model folder (complete only when <paramref name="Completed"/>).</param>
/// <param name="ModelBytes">Size of the model folder in bytes (0 when not written).</param>
/// <param name="Stages">Per stage: whether it ran or was found complete, and its wall-clock seconds.</param>
public sealed record TrainAllResult(bool Completed, string ModelFolder, long ModelBytes, IReadOnlyList<StageRecord> Stages);

/// <summary>One stage of a pipeline run.</summary>
/// <param name="Stage">Which stage (its <see cref="TrainAllStage.Name"/> is how logs and <c>timings.json</c> spell it).</param>
/// <param name="Status">What happened to the stage in this invocation.</param>
/// <param name="Seconds">Wall-clock seconds of this invocation (0 when skipped).</param>
public sealed record StageRecord(TrainAllStage Stage, StageStatus Status, double Seconds)
{
    public string Name => Stage.Name;
}

/// <summary>
/// <c>ich train all</c>: training phantoms → CNN folds per backbone (with OOF features) → sequence folds +
/// ensemble + ablation → model folder → held-out phantom check → locked internal test → (provisional card) → CNN ablations → model card. Each stage is skipped when its
/// outputs are complete, and the CNN stage resumes an interrupted run exactly, so re-running the same
/// command after an interruption continues where it stopped. Stage times accumulate in <c>timings.json</c>.
/// </summary>
/// <param name="launcher">How to start the CLI for worker processes (<see cref="TrainAllConfig.SeqWorkers"/> or <see cref="TrainAllConfig.CnnWorkers"/> above 1); null refuses such a config.</param>
public sealed class TrainAllPipeline(TrainAllConfig config, torch.Device device, ILogger log, IProgress<TrainProgress>? progress = null,
    IchLauncher? launcher = null)
{
    /// <summary>The sequence config the worker processes read, in the sequence run folder.</summary>
    public const string SeqWorkerConfigFile = "worker-config.json";

    private void Log(string line) => ApplicationLog.Info(log, line);

    private readonly List<StageRecord> _stages = [];

    /// <summary>Runs every stage not yet complete; returns when done or cancelled (state saved).</summary>
    public TrainAllResult Run(CancellationToken cancel)
    {
        if (config.SeqWorkers > 1 && launcher is null)
            throw new ConfigException($"seqWorkers {config.SeqWorkers}: this caller cannot start worker processes; use `ich train all`", config.SourcePath);
        if (config.CnnWorkers > 1 && launcher is null)
            throw new ConfigException($"cnnWorkers {config.CnnWorkers}: this caller cannot start worker processes; use `ich train all`", config.SourcePath);
        var run = config.RunFolder;
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "train-all.config.json"), config.SourceText);
        var timings = StageTimings.Read(run);

        try
        {
            if (config.Phantoms is { } phantoms)
                Stage(TrainAllStage.Phantoms, timings, PhantomSet.IsComplete(config.PhantomFolder, phantoms),
                    () => PhantomSet.Generate(config.PhantomFolder, phantoms, (d, t) => progress?.Report(new TrainProgress(TrainPhase.Phantoms, d, t)), cancel));
            else _stages.Add(new StageRecord(TrainAllStage.Phantoms, StageStatus.Absent, 0));

            IReadOnlyList<ScanRecord>? scans = null;
            var cnnRuns = config.Cnn.Keys.Select(name => (TrainAllStage.Cnn(name), config.CnnConfig(name))).ToList();
            if (!TrainFoldsInWorkers(TrainAllStage.CnnWorkers, cnnRuns, ref scans, timings, cancel)) return Finish(run, timings, completed: false, 0);
            foreach (var name in config.Cnn.Keys)
                if (!TrainCnn(TrainAllStage.Cnn(name), name, config.CnnConfig(name), ref scans, timings, cancel)) return Finish(run, timings, completed: false, 0);

            var seq = config.SeqConfig();
            if (!Stage(TrainAllStage.Seq, timings, SeqComplete(seq), () => TrainSeq(seq, cancel))) return Finish(run, timings, completed: false, 0);

            var modelBytes = 0L;
            Stage(TrainAllStage.Model, timings, false, () => modelBytes = ModelPackager.Package(seq));
            Log($"model folder: {config.ModelFolder} ({modelBytes / 1048576.0:0.0} MB)");

            if (config.Holdout is { } holdout)
                Stage(TrainAllStage.Holdout, timings, HoldoutCheck.IsComplete(config, config.HoldoutFolder, holdout),
                    () => Check(TrainAllStage.Holdout, () => HoldoutCheck.Run(config, config.HoldoutFolder, holdout, device, log, progress, cancel)));
            else _stages.Add(new StageRecord(TrainAllStage.Holdout, StageStatus.Absent, 0));

            if (config.StyleShift is { } shift)
                Stage(TrainAllStage.StyleShift, timings, HoldoutCheck.IsComplete(config, config.StyleShiftFolder, shift),
                    () => Check(TrainAllStage.StyleShift, () => HoldoutCheck.Run(config, config.StyleShiftFolder, shift, device, log, progress, cancel)));
            else _stages.Add(new StageRecord(TrainAllStage.StyleShift, StageStatus.Absent, 0));

            if (config.LockedTest is not null)
                Stage(TrainAllStage.LockedTest, timings, LockedTestCheck.IsComplete(config),
                    () => Check(TrainAllStage.LockedTest, () => LockedTestCheck.Run(config, device, log, progress, cancel)));
            else _stages.Add(new StageRecord(TrainAllStage.LockedTest, StageStatus.Absent, 0));

            // Ablations retrain one CNN with a lever off; they feed only the card, so they come after the model. They take
            // hours: a provisional card (marked so, the ablations listed as not trained yet) states the measured model first.
            if (config.Ablations.Keys.Any(name => !CnnOofScores.IsComplete(config.CnnFolder(name))))
            {
                timings.Save(run);
                ModelCard.Write(config, timings, log);
                Log($"provisional model card written to {Path.Combine(config.ModelFolder, ModelCard.FileName)}; the ablations follow");
            }
            var ablationRuns = config.Ablations.Keys.Select(name => (TrainAllStage.Ablation(name), config.AblationConfig(name))).ToList();
            if (!TrainFoldsInWorkers(TrainAllStage.AblationWorkers, ablationRuns, ref scans, timings, cancel)) return Finish(run, timings, completed: false, 0);
            foreach (var name in config.Ablations.Keys)
                if (!TrainCnn(TrainAllStage.Ablation(name), name, config.AblationConfig(name), ref scans, timings, cancel)) return Finish(run, timings, completed: false, 0);

            // The card states the stage times, so it is written after the others are recorded.
            var sw = Stopwatch.StartNew();
            timings.Save(run);
            ModelCard.Write(config, timings, log);
            _stages.Add(new StageRecord(TrainAllStage.Card, StageStatus.Ran, sw.Elapsed.TotalSeconds));
            return Finish(run, timings, completed: true, modelBytes);
        }
        catch (OperationCanceledException)
        {
            Log("interrupted: finished stages are kept; run the same command again to continue");
            return Finish(run, timings, completed: false, 0);
        }
    }

    /// <summary>
    /// Runs a check of the packaged model. A check predicts a fixed set with fixed weights, so rerunning it after a
    /// transient libtorch error (<see cref="NativeRetry"/>) gives exactly what an undisturbed run writes.
    /// </summary>
    private void Check(TrainAllStage stage, Action check) => NativeRetry.Run(stage.Name, () => { check(); return true; }, log);

    /// <summary>Trains (or resumes) one CNN run into <c>cnn-&lt;name&gt;</c>; false when cancelled.</summary>
    private bool TrainCnn(TrainAllStage stage, string name, CnnTrainConfig cnn, ref IReadOnlyList<ScanRecord>? scans, StageTimings timings, CancellationToken cancel)
    {
        var folder = config.CnnFolder(name);
        var loaded = scans;
        var ok = Stage(stage, timings, CnnComplete(folder, cnn), () =>
        {
            loaded ??= TrainingData.Load(config.TrainingDatasets(), log);
            using var part = ApplicationLog.Part(log, name);
            var resume = File.Exists(Path.Combine(folder, "config.json"));
            return new CnnTrainer(cnn, loaded, folder, device, progress, log).RunWithRetry(resume, cancel).Completed;
        });
        scans = loaded;
        return ok;
    }

    /// <summary>
    /// With <see cref="TrainAllConfig.CnnWorkers"/> above 1, trains the unfinished folds of <paramref name="runs"/> in that
    /// many one-thread worker processes, all runs in one queue in config order (so the cores stay busy across runs, the
    /// longest first when the config lists them so); each run's stage then finds its folds trained and writes its
    /// out-of-fold features here. Does nothing with 1. False when cancelled.
    /// </summary>
    private bool TrainFoldsInWorkers(TrainAllStage stage, IReadOnlyList<(TrainAllStage Run, CnnTrainConfig Cnn)> runs,
        ref IReadOnlyList<ScanRecord>? scans, StageTimings timings, CancellationToken cancel)
    {
        if (config.CnnWorkers == 1 || runs.Count == 0) return true;
        var trained = runs.All(r => CnnComplete(config.CnnFolder(r.Run.Backbone!), r.Cnn) || FoldsTrained(config.CnnFolder(r.Run.Backbone!), r.Cnn));
        var loaded = scans;
        var ok = Stage(stage, timings, trained, () =>
        {
            var jobs = new List<WorkerJob>();
            foreach (var (run, cnn) in runs)
            {
                var folder = config.CnnFolder(run.Backbone!);
                if (CnnComplete(folder, cnn)) continue;
                loaded ??= TrainingData.Load(config.TrainingDatasets(), log);
                var resume = File.Exists(Path.Combine(folder, "config.json"));
                var pending = new CnnTrainer(cnn, loaded, folder, device, null, log).Setup(resume);
                jobs.AddRange(pending.Select(f => new WorkerJob($"{run.Name}-fold{f}",
                    ["train", "cnn", "--resume", folder, "--fold", f.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--device", device.ToString()])));
            }
            var logs = Path.Combine(config.RunFolder, "workers");
            Log($"CNN folds to train: {jobs.Count}, {config.CnnWorkers} worker processes of one thread each (logs: {logs})");
            return new WorkerPool(launcher!, config.CnnWorkers, logs).Run(jobs, Log, cancel);
        });
        scans = loaded;
        return ok;
    }

    /// <summary>Whether every fold the run trains has finished (its out-of-fold features may still be missing).</summary>
    private static bool FoldsTrained(string folder, CnnTrainConfig cnn) =>
        File.Exists(Path.Combine(folder, "config.json"))
        && Enumerable.Range(0, cnn.TrainedFolds).All(f => FoldState.Read(new RunFolder(folder).StatePath(f)) is { Completed: true });

    private TrainAllResult Finish(string run, StageTimings timings, bool completed, long bytes)
    {
        timings.Save(run);
        return new TrainAllResult(completed, config.ModelFolder, bytes, _stages);
    }

    private void Stage(TrainAllStage stage, StageTimings timings, bool complete, Action body) =>
        Stage(stage, timings, complete, () => { body(); return true; });

    /// <summary>Runs <paramref name="body"/> unless the stage is complete; false when it stopped early (cancelled).</summary>
    private bool Stage(TrainAllStage stage, StageTimings timings, bool complete, Func<bool> body)
    {
        var name = stage.Name;
        if (complete)
        {
            Log($"stage {name}: complete, skipped");
            _stages.Add(new StageRecord(stage, StageStatus.SkippedComplete, 0));
            return true;
        }
        Log($"stage {name}: running");
        var sw = Stopwatch.StartNew();
        bool finished;
        try { finished = body(); }
        finally
        {
            timings.Add(stage, sw.Elapsed.TotalSeconds);
            timings.Save(config.RunFolder);
        }
        _stages.Add(new StageRecord(stage, finished ? StageStatus.Ran : StageStatus.Interrupted, sw.Elapsed.TotalSeconds));
        Log($"stage {name}: {(finished ? "done" : "interrupted")} in {sw.Elapsed.TotalMinutes:0.0} min");
        return finished;
    }

    /// <summary>
    /// The sequence stage: in this process, or with <see cref="TrainAllConfig.SeqWorkers"/> above 1 its unfinished folds
    /// first in that many one-thread worker processes, then the run here with one thread, which loads those folds
    /// (their records name the settings and the thread count) and writes everything an uninterrupted run writes.
    /// False when cancelled.
    /// </summary>
    private bool TrainSeq(SeqTrainConfig seq, CancellationToken cancel)
    {
        if (config.SeqWorkers == 1)
        {
            SeqRun.Run(seq, log, cancel);
        }
        else
        {
            using var oneThread = TorchRuntime.ThreadCount(1);
            if (!TrainSeqFoldsInWorkers(seq, cancel)) return false;
            SeqRun.Run(seq, log, cancel);
        }
        File.WriteAllText(SeqStamp(seq), SettingsFingerprint.Of(seq));
        return true;
    }

    private bool TrainSeqFoldsInWorkers(SeqTrainConfig seq, CancellationToken cancel)
    {
        var starter = launcher!; // checked when the run starts
        var dir = seq.Resolve(seq.Out);
        Directory.CreateDirectory(dir);
        var workerConfig = Path.Combine(dir, SeqWorkerConfigFile);
        File.WriteAllText(workerConfig, JsonSerializer.Serialize(seq, SeqTrainConfig.JsonOptions));
        var jobs = SeqRun.PendingFolds(seq)
            .Select(j => new WorkerJob($"seq-{j.System}-fold{j.Fold}", ["train", "seq", "--config", workerConfig, "--fold", $"{j.System}:{j.Fold}", "--threads", "1"]))
            .ToList();
        Log($"sequence folds to train: {jobs.Count}, {config.SeqWorkers} worker processes of one thread each (logs: {Path.Combine(dir, "workers")})");
        return new WorkerPool(starter, config.SeqWorkers, Path.Combine(dir, "workers")).Run(jobs, Log, cancel);
    }

    /// <summary>A CNN run is complete when its OOF store is complete and it was trained with this config (up to validateEvery).</summary>
    private static bool CnnComplete(string folder, CnnTrainConfig cnn)
    {
        var configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath)) return false;
        var existing = CnnTrainConfig.Load(configPath);
        if (!existing.TrainsLike(cnn))
            throw new ConfigException("this CNN run folder was started with a different config; delete it or change 'out' to train anew", folder);
        return CnnOofScores.IsComplete(folder);
    }

    private static string SeqStamp(SeqTrainConfig seq) => Path.Combine(seq.Resolve(seq.Out), "train-all.done.json");

    private static bool SeqComplete(SeqTrainConfig seq)
    {
        var dir = seq.Resolve(seq.Out);
        return File.Exists(SeqStamp(seq)) && File.Exists(Path.Combine(dir, SeqRun.ManifestFile)) && File.Exists(Path.Combine(dir, SeqRun.OperatingPointFile))
               && SettingsFingerprint.Matches(File.ReadAllText(SeqStamp(seq)), SettingsFingerprint.Of(seq));
    }
}
