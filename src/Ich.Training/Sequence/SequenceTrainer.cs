using Ich.Model.Runtime;
using Ich.Model.Sequence;
using Ich.Training.Ensemble;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Training.Sequence;

/// <summary>One epoch's record in <c>training_log.csv</c>.</summary>
/// <param name="Steps">Optimizer steps taken in the epoch.</param>
public sealed record SeqEpochLog(string System, int Fold, int Epoch, double LearningRate, double TrainLoss, double ValLogLossStage1, double ValLogLossStage2, bool Best,
    int Steps);

/// <summary>Out-of-fold result of one trained system.</summary>
/// <param name="Name">System name (its backbones joined by '+').</param>
/// <param name="Backbones">Backbones stacked in the network, in order.</param>
/// <param name="Options">Network sizes.</param>
/// <param name="Scans">Labelled scans, with their sequence fold in <paramref name="Folds"/>.</param>
/// <param name="Folds">Validation fold per scan.</param>
/// <param name="Oof">Per scan: stage-1 and stage-2 probabilities from the fold model that did not see it (forward + reversed pass).</param>
/// <param name="Checkpoints">One state file per fold.</param>
public sealed record SystemResult(string Name, IReadOnlyList<string> Backbones, SequenceNetOptions Options, IReadOnlyList<SeqScan> Scans,
    int[] Folds, IReadOnlyList<SequencePrediction> Oof, IReadOnlyList<string> Checkpoints);

/// <summary>
/// K-fold training of one sequence system, as the released code: per fold a fresh network, Adam with
/// step decay (MultiStepLR), each epoch one random augmented window per training scan in batches of
/// scans, validation on the held-out scans at full length, the best-validation epoch kept; then the
/// held-out scans are predicted (whole scan, forward + reversed pass) to give out-of-fold probabilities.
/// Seeded: the same seed and thread count give bit-identical weights on the CPU.
/// </summary>
public sealed class SequenceTrainer(SeqTrainConfig config, ILogger? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    public List<SeqEpochLog> EpochLog { get; } = [];

    /// <param name="resumeKey">
    /// What trains this system (<see cref="SettingsFingerprint.Of"/>); a fold whose <see cref="FoldRecord"/> records the same settings (<see cref="SettingsFingerprint.Matches"/>)
    /// is loaded from its checkpoint instead of trained again. Null: every fold is trained.
    /// </param>
    public SystemResult Train(string name, IReadOnlyList<string> backbones, SequenceNetOptions options, IReadOnlyList<SeqScan> scans,
        string checkpointFolder, string? resumeKey = null, CancellationToken cancel = default)
    {
        var folds = PatientFolds.Assign(scans, config.Folds, config.Seed);
        var oof = new SequencePrediction[scans.Count];
        var checkpoints = new List<string>();
        Directory.CreateDirectory(checkpointFolder);
        for (var k = 0; k < config.Folds; k++)
        {
            var train = scans.Where((_, i) => folds[i] != k).Select(s => s.Data).ToList();
            var valIdx = Enumerable.Range(0, scans.Count).Where(i => folds[i] == k).ToArray();
            var val = valIdx.Select(i => scans[i].Data).ToList();
            var path = CheckpointPath(checkpointFolder, k);
            var foldKey = resumeKey is null ? null : FoldKey(resumeKey, name, k);
            var done = foldKey is null ? null : FoldRecord.ReadMatching(checkpointFolder, k, path, foldKey);
            using var net = done is null ? TrainAndSave(name, k, options, train, val, checkpointFolder, path, foldKey, cancel) : new SliceSequenceNet(options);
            if (done is not null)
            {
                EpochLog.AddRange(done.Epochs);
                TrainingLog.SequenceFoldLoaded(_log, name, k, path);
            }
            checkpoints.Add(path);
            // Out-of-fold predictions with the weights as stored (so half-precision storage is what is scored, and a loaded
            // fold scores exactly what it scored when it was trained).
            if (config.HalfPrecision || done is not null) StateFile.Load(net, path);
            var pred = SequencePredictor.Predict([net], val, reversedPass: true, batchScans: config.BatchScans);
            for (var j = 0; j < valIdx.Length; j++) oof[valIdx[j]] = pred[j];
        }
        return new SystemResult(name, backbones, options, scans, folds, oof, checkpoints);
    }

    /// <summary>
    /// Trains fold <paramref name="k"/> of one system and saves it as <see cref="Train"/> would, unless a record of the same
    /// settings says it is finished (a worker process of <c>ich train all</c>); false when it was. The fold's
    /// patients are those <see cref="Train"/> gives it, and <see cref="Train"/> later loads the fold instead of training it.
    /// </summary>
    public bool TrainOneFold(string name, SequenceNetOptions options, IReadOnlyList<SeqScan> scans, string checkpointFolder, int k,
        string resumeKey, CancellationToken cancel = default)
    {
        if (k < 0 || k >= config.Folds) throw new ArgumentOutOfRangeException(nameof(k), k, $"folds are 0..{config.Folds - 1}");
        if (IsFinished(checkpointFolder, name, k, resumeKey)) return false;
        var folds = PatientFolds.Assign(scans, config.Folds, config.Seed);
        var train = scans.Where((_, i) => folds[i] != k).Select(s => s.Data).ToList();
        var val = scans.Where((_, i) => folds[i] == k).Select(s => s.Data).ToList();
        Directory.CreateDirectory(checkpointFolder);
        using var net = TrainAndSave(name, k, options, train, val, checkpointFolder, CheckpointPath(checkpointFolder, k), FoldKey(resumeKey, name, k), cancel);
        return true;
    }

    /// <summary>Whether fold <paramref name="k"/> of a system has a checkpoint and a record of these settings and this thread count.</summary>
    public static bool IsFinished(string checkpointFolder, string name, int k, string resumeKey) =>
        FoldRecord.ReadMatching(checkpointFolder, k, CheckpointPath(checkpointFolder, k), FoldKey(resumeKey, name, k)) is not null;

    private static string CheckpointPath(string checkpointFolder, int k) => Path.Combine(checkpointFolder, $"fold{k}.state");

    // Bit-identical weights need the same thread count too, so it is part of what a finished fold must match.
    private static string FoldKey(string resumeKey, string name, int k) => $"{resumeKey}|system {name}|fold {k}|threads {torch.get_num_threads()}";

    private SliceSequenceNet TrainAndSave(string name, int k, SequenceNetOptions options, List<SequenceScanData> train, List<SequenceScanData> val,
        string checkpointFolder, string path, string? foldKey, CancellationToken cancel)
    {
        FoldRecord.Forget(checkpointFolder, k);
        var firstEpoch = EpochLog.Count;
        // A fold is a pure function of its seed, so rerunning it after a transient libtorch error is exact (the failed
        // attempt's epochs leave the log).
        // Only the training flushes denormals (when asked); the out-of-fold predictions are made exactly, as at inference.
        var net = Ich.Model.Runtime.DenormalFlushing.Run(config.FlushDenormals, () => Ich.Model.Runtime.NativeRetry.Run($"{name} fold {k}", () =>
        {
            EpochLog.RemoveRange(firstEpoch, EpochLog.Count - firstEpoch);
            return TrainFold(name, k, options, train, val, cancel);
        }, _log));
        StateFile.Save(net, path, config.HalfPrecision);
        if (foldKey is not null) new FoldRecord(foldKey, EpochLog.Skip(firstEpoch).ToList()).Save(checkpointFolder, k);
        return net;
    }

    private SliceSequenceNet TrainFold(string system, int fold, SequenceNetOptions options, List<SequenceScanData> train,
        List<SequenceScanData> val, CancellationToken cancel)
    {
        var seed = config.Seed * 1000 + fold;
        TorchSeed.Set(seed);
        var rng = new Random(seed);
        var net = new SliceSequenceNet(options);
        var optimizer = optim.Adam(net.parameters(), lr: config.LearningRate);
        var scheduler = optim.lr_scheduler.MultiStepLR(optimizer, config.Milestones, config.Gamma);
        var sampler = new WindowSampler(config.Window, config.EveryOtherProbability, config.EveryOtherMinSlices, config.ReverseProbability);
        Dictionary<string, Tensor>? best = null;
        var bestLoss = double.PositiveInfinity;
        var valLabels = val.SelectMany(s => s.Labels!).ToArray();

        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            var lr = optimizer.ParamGroups.First().LearningRate;
            net.train();
            // Every training scan gives windowsPerScan random windows per epoch (1 in the released code, whose 19k
            // scans gave ~150 steps per epoch; a few dozen scans need more windows to get a comparable number of steps).
            var order = Enumerable.Range(0, train.Count * config.WindowsPerScan).Select(i => i % train.Count).ToArray();
            rng.Shuffle(order);
            double lossSum = 0;
            var batches = 0;
            for (var start = 0; start < order.Length; start += config.BatchScans)
            {
                cancel.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var views = order.Skip(start).Take(config.BatchScans).Select(i => sampler.Sample(train[i], rng)).ToList();
                var (input, targets) = SequenceBatch.Build(views, options);
                if (config.ProbabilityJitter is { } jitter) input = jitter.Apply(input, rng);
                optimizer.zero_grad();
                var (s1, s2) = net.Forward(input);
                var loss = SequenceLoss.Joint(s1, s2, targets!, input.Mask, net.Options.SubtypeGivenBleed);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                batches++;
            }
            scheduler.step();

            var pred = SequencePredictor.Predict([net], val, reversedPass: false, batchScans: config.BatchScans);
            var v1 = Ich.Metrics.WeightedLogLoss.ComputeFlat(pred.SelectMany(p => p.Stage1).ToArray(), valLabels).Total;
            var v2 = Ich.Metrics.WeightedLogLoss.ComputeFlat(pred.SelectMany(p => p.Stage2).ToArray(), valLabels).Total;
            var isBest = config.Selection == EpochSelection.Last ? epoch == config.Epochs : v2 < bestLoss;
            if (isBest)
            {
                bestLoss = v2;
                if (best is not null) foreach (var t in best.Values) t.Dispose();
                best = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            }
            var trainLoss = lossSum / Math.Max(1, batches);
            EpochLog.Add(new SeqEpochLog(system, fold, epoch, lr, trainLoss, v1, v2, isBest, batches));
            TrainingLog.SequenceEpoch(_log, system, fold, epoch, config.Epochs, lr, trainLoss, v1, v2, isBest ? " *" : "");
        }
        if (best is not null)
        {
            net.load_state_dict(best);
            foreach (var t in best.Values) t.Dispose();
        }
        optimizer.Dispose();
        return net;
    }
}
