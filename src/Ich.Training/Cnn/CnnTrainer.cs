using System.Diagnostics;
using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Model.Cnn;
using Ich.Training.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>Progress of a long phase: <paramref name="Done"/> of <paramref name="Total"/> units.</summary>
public sealed record TrainProgress(string Phase, long Done, long Total);

/// <summary>Outcome of one fold.</summary>
public sealed record FoldResult(int Fold, int BestEpoch, double BestValLoss, string BestCheckpoint);

/// <summary>Outcome of a run: completed, or interrupted with its state saved for <c>--resume</c>.</summary>
public sealed record CnnRunResult(bool Completed, IReadOnlyList<FoldResult> Folds, string? OofFeatures);

/// <summary>
/// Stage-1 training with k-fold cross-validation by patient: per fold, Adam with the configured schedule on
/// the weighted BCE, per-epoch validation (weighted log-loss, AUC per class), best checkpoint by validation
/// loss; then out-of-fold probabilities and features for every training slice. Everything random is derived
/// from the seed and the position (fold, epoch, batch), and model + optimizer state is saved at each epoch end
/// and on cancellation, so <see cref="Run"/> with <c>resume</c> continues bit-exactly.
/// </summary>
public sealed class CnnTrainer
{
    private readonly CnnTrainConfig _config;
    private readonly IReadOnlyList<ScanRecord> _scans;
    private readonly RunFolder _run;
    private readonly Device _device;
    private readonly Action<TrainProgress>? _progress;
    private readonly Action<string>? _log;

    public CnnTrainer(CnnTrainConfig config, IReadOnlyList<ScanRecord> scans, string runDir, Device device,
        Action<TrainProgress>? progress = null, Action<string>? log = null)
    {
        config.Validate();
        _config = config;
        _scans = scans;
        _run = new RunFolder(runDir);
        _device = device;
        _progress = progress;
        _log = log;
    }

    /// <summary>
    /// Validates data and configuration (failing before any training with a <see cref="ConfigException"/>),
    /// then trains every fold not yet completed and writes the OOF feature store.
    /// </summary>
    public CnnRunResult Run(bool resume, CancellationToken cancel)
    {
        if (_scans.Count == 0) throw new ConfigException("no scans to train on");
        var table = new SliceTable(_scans, _config.ImageSize);
        table.ValidateForTraining();
        var folds = PatientFolds.Assign(_scans, _config.Folds, _config.Seed);
        for (var f = 0; f < _config.Folds; f++)
        {
            var val = Enumerable.Range(0, _scans.Count).Where(i => folds[i] == f).ToList();
            if (val.Count == 0) throw new ConfigException($"fold {f} is empty");
            if (val.Count == _scans.Count) throw new ConfigException($"fold {f} leaves no training scans");
        }

        if (resume)
        {
            if (!File.Exists(_run.ConfigPath)) throw new ConfigException("nothing to resume: no config.json in the run folder", _run.Root);
            if (File.Exists(_run.FoldsPath) && !SameFolds(folds)) throw new ConfigException("the data or seed differ from the interrupted run (folds.csv does not match)", _run.FoldsPath);
        }
        else _run.CreateNew(_config, _device.ToString());
        _run.WriteData(_scans, folds, _config.Folds);
        Log($"{(resume ? "resuming" : "starting")} {_config.Backbone}: {_scans.Count} scans, {table.Slices.Count} slices, {_config.Folds} folds, device {_device}");

        table.Preload((d, t) => _progress?.Invoke(new TrainProgress("decode slices", d, t)), cancel);

        var results = new List<FoldResult>();
        for (var f = 0; f < _config.Folds; f++)
        {
            var result = TrainFold(table, folds, f, cancel);
            if (result is null) return new CnnRunResult(false, results, null);
            results.Add(result);
        }

        Log("out-of-fold features");
        var oof = _run.OofFeatures;
        using (var writer = new FeatureStoreWriter(oof, _config.Backbone, FeatureDim(), FeatureStoreMeta.KindOof, _config.Tta, _config.ImageSize, _config.Folds, overwrite: true))
        {
            for (var f = 0; f < _config.Folds; f++)
            {
                using var model = CnnModels.Load(_config.Backbone, _run.BestModel(f));
                model.to(_device);
                var scans = Enumerable.Range(0, _scans.Count).Where(i => folds[i] == f).ToList();
                CnnFeatureExtractor.Write(table, scans, [model], _config, f, writer, _device,
                    (d, t) => _progress?.Invoke(new TrainProgress($"OOF features fold {f}", d, t)), cancel);
            }
            writer.Complete();
        }
        Log("done");
        return new CnnRunResult(true, results, oof);
    }

    private int FeatureDim()
    {
        using var m = CnnFactory.Create(_config.Backbone, 0);
        return m.FeatureDim;
    }

    private bool SameFolds(int[] folds)
    {
        var lines = File.ReadAllLines(_run.FoldsPath).Skip(1).Where(l => l.Length > 0).ToArray();
        return lines.Length == folds.Length && lines.Select((l, i) => l.EndsWith("," + folds[i].ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)).All(x => x);
    }

    /// <summary>Trains one fold from its saved state; null when cancelled (state saved).</summary>
    private FoldResult? TrainFold(SliceTable table, int[] folds, int fold, CancellationToken cancel)
    {
        Directory.CreateDirectory(_run.FoldDir(fold));
        var state = FoldState.Read(_run.StatePath(fold)) ?? new FoldState();
        if (state.Completed)
        {
            Log($"fold {fold}: already complete (best epoch {state.BestEpoch})");
            return new FoldResult(fold, state.BestEpoch, state.BestValLoss, _run.BestModel(fold));
        }
        var train = Enumerable.Range(0, _scans.Count).Where(i => folds[i] != fold).ToList();
        var val = Enumerable.Range(0, _scans.Count).Where(i => folds[i] == fold).ToList();
        var valSlices = val.SelectMany(s => Enumerable.Range(table.ScanStarts[s], table.Scans[s].Slices.Count)).ToArray();

        using var model = CnnModels.Create(_config, Seeds.Derive(_config.Seed, fold, 0x1E1));
        model.to(_device);
        using var optimizer = optim.Adam(model.parameters(), _config.Lr, 0.9, 0.999, 1e-8, _config.WeightDecay);
        if (state.Epoch > 0 || state.Batch > 0)
        {
            model.load(_run.LastModel(fold), strict: true);
            optimizer.load_state_dict(_run.LastOptimizer(fold));
            Log($"fold {fold}: resumed at epoch {state.Epoch}, batch {state.Batch}");
        }
        using var weights = tensor(_config.LossWeights.Select(w => (float)w).ToArray()).view(1, -1).to(_device);
        var weightSum = (float)_config.LossWeights.Sum();

        for (var epoch = state.Epoch; epoch < _config.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var order = EpochSampler.Order(table, train, _config.Sampling, _config.Seed, fold, epoch);
            var batches = (order.Length + _config.BatchSize - 1) / _config.BatchSize;
            model.train();
            for (var b = state.Batch; b < batches; b++)
            {
                if (cancel.IsCancellationRequested)
                {
                    SaveLast(model, optimizer, fold, state with { Epoch = epoch, Batch = b });
                    Log($"fold {fold}: interrupted at epoch {epoch}, batch {b}; state saved");
                    return null;
                }
                var lr = LrSchedule.At(_config, epoch + (double)b / batches);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                var idx = order.Skip(b * _config.BatchSize).Take(_config.BatchSize).ToArray();
                double lossValue;
                using (NewDisposeScope())
                {
                    var x = Augmenter.Stack(table, idx, _device);
                    x = Augmenter.Train(x, _config.Augment, new Random(Seeds.Derive(_config.Seed, fold, epoch, b, 0xA11)));
                    var y = tensor(idx.SelectMany(i => table.Slices[i].Labels!).ToArray(), [idx.Length, HemorrhageClasses.Count]).to(_device);
                    optimizer.zero_grad();
                    var logits = model.call(x);
                    var perElement = nn.functional.binary_cross_entropy_with_logits(logits, y, reduction: nn.Reduction.None);
                    var loss = (perElement * weights).sum() / (idx.Length * weightSum);
                    loss.backward();
                    optimizer.step();
                    lossValue = loss.item<float>();
                }
                state = state with { Batch = b + 1, TrainLossSum = state.TrainLossSum + lossValue * idx.Length, TrainCount = state.TrainCount + idx.Length };
                _progress?.Invoke(new TrainProgress($"fold {fold} epoch {epoch + 1}/{_config.Epochs}", b + 1, batches));
            }

            var (valLoss, aucs) = Validate(model, table, valSlices, fold, epoch, cancel);
            var trainLoss = state.TrainCount == 0 ? double.NaN : state.TrainLossSum / state.TrainCount;
            var inv = CultureInfo.InvariantCulture;
            _run.AppendMetrics(string.Join(",", new[] { fold.ToString(inv), (epoch + 1).ToString(inv), LrSchedule.At(_config, epoch + 1).ToString("G6", inv),
                trainLoss.ToString("F6", inv), valLoss.ToString("F6", inv) }.Concat(aucs.Select(a => double.IsNaN(a) ? "" : a.ToString("F4", inv)))
                .Append(clock.Elapsed.TotalSeconds.ToString("F1", inv))));
            Log($"fold {fold} epoch {epoch + 1}: train loss {trainLoss:F4}, val weighted log-loss {valLoss:F4}, AUC any {aucs[0]:F3}");
            var best = state;
            if (valLoss < state.BestValLoss || state.BestEpoch < 0)
            {
                model.save(_run.BestModel(fold));
                best = state with { BestValLoss = valLoss, BestEpoch = epoch + 1 };
            }
            state = best with { Epoch = epoch + 1, Batch = 0, TrainLossSum = 0, TrainCount = 0 };
            SaveLast(model, optimizer, fold, state);
        }
        state = state with { Completed = true };
        state.Write(_run.StatePath(fold));
        return new FoldResult(fold, state.BestEpoch, state.BestValLoss, _run.BestModel(fold));
    }

    private (double Loss, double[] Aucs) Validate(SliceCnn model, SliceTable table, int[] slices, int fold, int epoch, CancellationToken cancel)
    {
        model.eval();
        var probs = new float[slices.Length * HemorrhageClasses.Count];
        var labels = slices.SelectMany(i => table.Slices[i].Labels!).ToArray();
        var batch = _config.BatchSize * 2;
        using (no_grad())
        {
            for (var start = 0; start < slices.Length; start += batch)
            {
                using var scope = NewDisposeScope();
                var idx = slices.Skip(start).Take(batch).ToArray();
                var x = Augmenter.CenterCrop(Augmenter.Stack(table, idx, _device), _config.ValCenterCrop);
                var p = model.call(x).sigmoid().cpu().data<float>().ToArray();
                Array.Copy(p, 0, probs, start * HemorrhageClasses.Count, p.Length);
                _progress?.Invoke(new TrainProgress($"fold {fold} epoch {epoch + 1} validation", Math.Min(start + batch, slices.Length), slices.Length));
            }
        }
        model.train();
        var loss = Ich.Metrics.WeightedLogLoss.ComputeFlat(probs, labels).Total;
        var aucs = Enumerable.Range(0, HemorrhageClasses.Count).Select(k => Ich.Metrics.RocAuc.Compute(
            Enumerable.Range(0, slices.Length).Select(i => (double)probs[i * HemorrhageClasses.Count + k]).ToArray(),
            Enumerable.Range(0, slices.Length).Select(i => labels[i * HemorrhageClasses.Count + k] > 0.5f).ToArray())).ToArray();
        return (loss, aucs);
    }

    private void SaveLast(SliceCnn model, TorchSharp.Modules.Adam optimizer, int fold, FoldState state)
    {
        // Write to temporaries first so a crash mid-save never leaves a half-written resume point.
        model.save(_run.LastModel(fold) + ".tmp");
        optimizer.save_state_dict(_run.LastOptimizer(fold) + ".tmp");
        File.Move(_run.LastModel(fold) + ".tmp", _run.LastModel(fold), overwrite: true);
        File.Move(_run.LastOptimizer(fold) + ".tmp", _run.LastOptimizer(fold), overwrite: true);
        state.Write(_run.StatePath(fold));
    }

    private void Log(string line)
    {
        _run.Log(line);
        _log?.Invoke(line);
    }
}
