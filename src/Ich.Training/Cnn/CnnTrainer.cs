using System.Diagnostics;
using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;
using Ich.Model.Runtime;
using Ich.Training.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Training.Cnn;

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
    private readonly IProgress<TrainProgress>? _progress;
    private readonly ILogger _log;
    private readonly KnownMasks _masks;

    /// <summary>
    /// Builds the next batch on a worker thread while libtorch trains on this one (<see cref="BatchPrefetcher{T}"/>); the
    /// weights are the same either way. Off, every batch is built when it is needed: the reference the tests hold it to.
    /// </summary>
    public bool PrefetchBatches { get; init; } = true;

    public CnnTrainer(CnnTrainConfig config, IReadOnlyList<ScanRecord> scans, string runDir, Device device,
        IProgress<TrainProgress>? progress = null, ILogger? log = null)
    {
        config.Validate();
        _config = config;
        _scans = scans;
        _run = new RunFolder(runDir);
        _device = device;
        _progress = progress;
        _log = log ?? NullLogger.Instance;
        _masks = new KnownMasks(subtypes: config.MaskChannels == MaskChannels.Subtypes);
    }

    /// <summary>
    /// Validates data and configuration (failing before any training with a <see cref="ConfigException"/>),
    /// then trains every fold not yet completed and writes the OOF feature store.
    /// </summary>
    public CnnRunResult Run(bool resume, CancellationToken cancel)
    {
        var (table, folds) = Prepare(resume);
        table.Preload((d, t) => _progress?.Report(new TrainProgress(TrainPhase.DecodeSlices, d, t)), cancel);

        var results = new List<FoldResult>();
        for (var f = 0; f < _config.TrainedFolds; f++)
        {
            // Only the training flushes denormals (when asked): the out-of-fold features below are computed exactly, as
            // `ich predict` computes them, so the sequence stage learns from the numbers it will be given.
            var result = DenormalFlushing.Run(_config.FlushDenormals, () => TrainFold(table, folds, f, cancel));
            if (result is null) return new CnnRunResult(false, results, null);
            results.Add(result);
        }

        Log("out-of-fold features");
        var oof = _run.OofFeatures;
        using (var writer = new FeatureStoreWriter(oof, _config.Backbone, FeatureDim(), FeatureStoreMeta.KindOof, _config.Tta, _config.ImageSize, _config.Folds, overwrite: true))
        {
            for (var f = 0; f < _config.TrainedFolds; f++)
            {
                using var model = CnnModels.Load(_config.Backbone, _run.BestModel(f));
                model.to(_device);
                var scans = Enumerable.Range(0, _scans.Count).Where(i => folds[i] == f).ToList();
                CnnFeatureExtractor.Write(table, scans, [model], _config, f, writer, _device,
                    (d, t) => _progress?.Report(new TrainProgress(TrainPhase.OofFeatures, d, t) { Fold = f }), cancel);
            }
            writer.Complete();
        }
        Log("done");
        return new CnnRunResult(true, results, oof);
    }

    /// <summary>
    /// Creates the run folder (or checks it, when resuming) without training, and returns the trained folds not yet
    /// complete: what a caller hands to worker processes (<see cref="TrainOneFold"/>, one per process) before it calls
    /// <see cref="Run"/> with <c>resume</c> for the out-of-fold features.
    /// </summary>
    public IReadOnlyList<int> Setup(bool resume)
    {
        Prepare(resume);
        return Enumerable.Range(0, _config.TrainedFolds).Where(f => FoldState.Read(_run.StatePath(f)) is not { Completed: true }).ToList();
    }

    /// <summary>
    /// Trains (or resumes) fold <paramref name="fold"/> of the run in this folder, made before by <see cref="Setup"/> or an
    /// interrupted <see cref="Run"/>, and nothing else: no out-of-fold features. Several processes may train different
    /// folds of one run folder at once (each fold's files are its own; the shared log and metrics are appended line by
    /// line). Null when cancelled (state saved).
    /// </summary>
    public FoldResult? TrainOneFold(int fold, CancellationToken cancel)
    {
        if (fold < 0 || fold >= _config.TrainedFolds)
            throw new ConfigException($"fold {fold}: this run trains folds 0 to {_config.TrainedFolds - 1}", _run.Root);
        var (table, folds) = Prepare(resume: true, writeData: false);
        table.Preload((d, t) => _progress?.Report(new TrainProgress(TrainPhase.DecodeSlices, d, t)), cancel);
        return DenormalFlushing.Run(_config.FlushDenormals, () => TrainFold(table, folds, fold, cancel));
    }

    /// <summary>Checks the data and the config, and creates the run folder or checks that a resumed one holds the same folds.</summary>
    private (SliceTable Table, int[] Folds) Prepare(bool resume, bool writeData = true)
    {
        if (_scans.Count == 0) throw new ConfigException("no scans to train on");
        var table = new SliceTable(_scans, _config.ImageSize, _config.Framing, _config.SlabMm);
        table.ValidateForTraining();
        // A misspelt host dataset would silently switch insertion off for the data it meant.
        var present = _scans.Select(s => s.Dataset).ToHashSet(StringComparer.Ordinal);
        foreach (var host in _config.InsertBleeds.HostDatasets.Where(h => !present.Contains(h)))
            throw new ConfigException($"insertBleeds.hostDatasets names '{host}', but no training scan is of that dataset (present: {string.Join(", ", present.Order(StringComparer.Ordinal))})");
        DatasetSharePlan.Check(_config.Sampling.DatasetShares, present, "the training scans' datasets");
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
        if (writeData) _run.WriteData(_scans, folds, _config.Folds);
        else if (!File.Exists(_run.FoldsPath)) throw new ConfigException("the run folder has no folds.csv: set it up first", _run.Root);
        Log($"{(resume ? "resuming" : "starting")} {_config.Backbone} ({(_config.Framing == Ich.Core.Scans.InputFraming.Head ? "head-framed" : "full-field")} input): {_scans.Count} scans, {table.Slices.Count} slices, {_config.Folds} folds{(_config.TrainedFolds < _config.Folds ? $" (training the first {_config.TrainedFolds})" : "")}{(_config.AverageWeightsFrom > 0 ? string.Create(CultureInfo.InvariantCulture, $", each fold keeping the mean of its weights from {_config.AverageWeightsFrom:0.###} of the schedule on") : "")}, device {_device}");
        return (table, folds);
    }

    /// <summary>
    /// <see cref="Run"/>, rerun after a transient libtorch error (<see cref="NativeRetry"/>): a rerun resumes from the last
    /// saved epoch (or starts afresh when the failure came before the run folder was made), which is exact, so it costs
    /// only the partial epoch and trains the weights an undisturbed run would. The way every caller trains a CNN.
    /// </summary>
    public CnnRunResult RunWithRetry(bool resume, CancellationToken cancel)
    {
        var attempt = 0;
        return NativeRetry.Run($"CNN {_config.Backbone} run {_run.Root}",
            () => Run(attempt++ == 0 ? resume : File.Exists(_run.ConfigPath), cancel), _log);
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
        var threads = torch.get_num_threads();
        var state = FoldState.Read(_run.StatePath(fold)) ?? new FoldState { Threads = threads };
        if (state.Completed)
        {
            Log($"fold {fold}: already complete (best epoch {state.BestEpoch})");
            return new FoldResult(fold, state.BestEpoch, state.BestValLoss, _run.BestModel(fold));
        }
        // A thread count changes the last bits of every step, so a fold resumed with another count would have weights no
        // single run makes. (Folds saved before the count was recorded carry none and are resumed as they are.)
        if (state.Threads is { } started && started != threads)
            throw new ConfigException($"fold {fold} was started with {started} libtorch thread{(started == 1 ? "" : "s")} and this process has {threads}: " +
                $"resume it with {started} (--threads {started}; in `ich train all`, the cnnWorkers it was started with), or delete {_run.FoldDir(fold)} to train it anew", _run.StatePath(fold));
        var train = Enumerable.Range(0, _scans.Count).Where(i => folds[i] != fold).ToList();
        var val = Enumerable.Range(0, _scans.Count).Where(i => folds[i] == fold).ToList();
        var valSlices = val.SelectMany(s => Enumerable.Range(table.ScanStarts[s], table.Scans[s].Slices.Count)).ToArray();
        // Real bleeds to paste come from this fold's training scans only.
        var donors = _config.InsertBleeds is { Probability: > 0, PasteShare: > 0 } ? BleedDonors.For(table, train, _config.InsertBleeds.AssumedSpacingMm) : null;
        if (donors is not null) Log($"fold {fold}: {donors.Indices.Count} real masked bleeds from training scans available to paste");

        using var model = CnnModels.Create(_config, Seeds.Derive(_config.Seed, fold, 0x1E1));
        model.to(_device);
        // Dense supervision: a decoder on the backbone's feature map, trained jointly; absent when maskLoss is 0.
        using var decoder = _config.MaskLoss > 0 ? new SegmentationDecoder(FeatureMapChannels(model), Seeds.Derive(_config.Seed, fold, 0xDEC), _config.MaskChannels.Count()) : null;
        decoder?.to(_device);
        var parameters = decoder is null ? model.parameters() : model.parameters().Concat(decoder.parameters());
        using var optimizer = optim.Adam(parameters, _config.Lr, 0.9, 0.999, 1e-8, _config.WeightDecay);
        if (state.Epoch > 0 || state.Batch > 0)
        {
            model.load(_run.LastModel(fold), strict: true);
            decoder?.load(LastDecoder(fold), strict: true);
            optimizer.load_state_dict(_run.LastOptimizer(fold));
            Log($"fold {fold}: resumed at epoch {state.Epoch}, batch {state.Batch}");
        }
        // Every epoch draws the same number of batches, so a step's index is its place and the average's start a fixed step.
        var batchesPerEpoch = (EpochSampler.Order(table, train, _config.Sampling, _config.Seed, fold, 0).Length + _config.BatchSize - 1) / _config.BatchSize;
        using var average = _config.AverageWeightsFrom > 0 ? new FoldWeightAverage(model, decoder, _config.AverageStartStep(batchesPerEpoch)) : null;
        if (average is not null && average.HasStarted((long)state.Epoch * batchesPerEpoch + state.Batch))
            average.Load(LastAverage(fold), LastDecoderAverage(fold)); // a resume continues the average saved beside the weights
        using var weights = tensor(_config.LossWeights.Select(w => (float)w).ToArray()).view(1, -1).to(_device);
        var weightSum = (float)_config.LossWeights.Sum();

        for (var epoch = state.Epoch; epoch < _config.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var order = EpochSampler.Order(table, train, _config.Sampling, _config.Seed, fold, epoch);
            int insertedThisEpoch = 0, pastedThisEpoch = 0;
            var maskLossSum = 0.0;
            var batches = (order.Length + _config.BatchSize - 1) / _config.BatchSize;
            if (average is not null && batches != batchesPerEpoch)
                throw new InvalidOperationException($"epoch {epoch + 1} draws {batches} batches, epoch 1 drew {batchesPerEpoch}: the weight average counts steps by their place");
            // Batches with insertion, masks or intensity augmentation are built in C# beside libtorch's work (BatchPrefetcher).
            var builtInCSharp = decoder is not null || _config.InsertBleeds.Probability > 0 || _config.Augment is { Enabled: true, Intensity.P: > 0 };
            using var prefetch = builtInCSharp && PrefetchBatches ? new BatchPrefetcher<TrainingBatch>(
                b => DenormalFlushing.InMode(_config.FlushDenormals, () => BuildBatch(table, order, donors, fold, epoch, b)), batches) : null;
            model.train();
            for (var b = state.Batch; b < batches; b++)
            {
                if (cancel.IsCancellationRequested)
                {
                    SaveLast(model, decoder, optimizer, average, (long)epoch * batches + b, fold, state with { Epoch = epoch, Batch = b });
                    Log($"fold {fold}: interrupted at epoch {epoch}, batch {b}; state saved");
                    return null;
                }
                var lr = LrSchedule.At(_config, epoch + (double)b / batches);
                foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                var idx = BatchIndices(order, b);
                double lossValue;
                using (NewDisposeScope())
                {
                    var augmentRng = new Random(Seeds.Derive(_config.Seed, fold, epoch, b, 0xA11));
                    Tensor x, y, loss;
                    if (!builtInCSharp)
                    {
                        // The original path, untouched: existing configs train bit for bit as before.
                        x = Augmenter.Train(Augmenter.Stack(table, idx, _device), _config.Augment, augmentRng);
                        y = tensor(idx.SelectMany(i => table.Slices[i].Labels!).ToArray(), [idx.Length, HemorrhageClasses.Count]).to(_device);
                        optimizer.zero_grad();
                        loss = CnnLoss.Total(model.call(x), y, weights, weightSum, _config.SubtypeGivenBleed);
                    }
                    else
                    {
                        var batch = prefetch?.Take(b) ?? BuildBatch(table, order, donors, fold, epoch, b);
                        insertedThisEpoch += batch.Inserted;
                        pastedThisEpoch += batch.Pasted;
                        y = batch.LabelTensor(_device);
                        optimizer.zero_grad();
                        if (decoder is null)
                        {
                            x = Augmenter.Train(batch.ImageTensor(_device), _config.Augment, augmentRng);
                            loss = CnnLoss.Total(model.call(x), y, weights, weightSum, _config.SubtypeGivenBleed);
                        }
                        else
                        {
                            // The masks ride as extra channels through the same warp and erasing as the image.
                            var both = Augmenter.Train(cat([batch.ImageTensor(_device), batch.MaskTensor(_device)], 1), _config.Augment, augmentRng);
                            x = both.narrow(1, 0, 3).contiguous();
                            var masks = both.narrow(1, 3, batch.MaskChannels).contiguous();
                            var featureMap = model.FeatureMap(x);
                            var maskLoss = MaskLoss.Compute(decoder.call(featureMap), masks, batch.MaskWeightTensor(_device));
                            loss = CnnLoss.Total(model.Head(featureMap).Logits, y, weights, weightSum, _config.SubtypeGivenBleed) + _config.MaskLoss * maskLoss;
                            maskLossSum += maskLoss.item<float>() * idx.Length;
                        }
                    }
                    loss.backward();
                    optimizer.step();
                    lossValue = loss.item<float>();
                }
                average?.AfterStep((long)epoch * batches + b);
                state = state with { Batch = b + 1, TrainLossSum = state.TrainLossSum + lossValue * idx.Length, TrainCount = state.TrainCount + idx.Length };
                _progress?.Report(new TrainProgress(TrainPhase.TrainEpoch, b + 1, batches) { Fold = fold, Epoch = epoch + 1, Epochs = _config.Epochs });
            }

            var validated = _config.ValidatesAfter(epoch + 1);
            // Once a weight average has started, it is what is validated and kept as best.model: the weights that ship.
            var averaged = average?.HasStarted((long)(epoch + 1) * batches) == true;
            if (averaged) average!.Swap();
            var (valLoss, aucs) = validated
                ? Validate(model, table, valSlices, fold, epoch, cancel)
                : (double.NaN, Enumerable.Repeat(double.NaN, HemorrhageClasses.Count).ToArray());
            if (averaged) average!.Swap();
            var trainLoss = state.TrainCount == 0 ? double.NaN : state.TrainLossSum / state.TrainCount;
            var inv = CultureInfo.InvariantCulture;
            // An epoch not validated leaves its validation cells empty (read back as NaN: a gap, never a best epoch).
            _run.AppendMetrics(string.Join(",", new[] { fold.ToString(inv), (epoch + 1).ToString(inv), LrSchedule.At(_config, epoch + 1).ToString("G6", inv),
                trainLoss.ToString("F6", inv), double.IsNaN(valLoss) ? "" : valLoss.ToString("F6", inv) }.Concat(aucs.Select(a => double.IsNaN(a) ? "" : a.ToString("F4", inv)))
                .Append(clock.Elapsed.TotalSeconds.ToString("F1", inv))));
            Log(validated
                ? $"fold {fold} epoch {epoch + 1}: train loss {trainLoss:F4}, val weighted log-loss {valLoss:F4}, AUC any {aucs[0]:F3}"
                : $"fold {fold} epoch {epoch + 1}: train loss {trainLoss:F4} (validated every {_config.ValidateEvery} epochs and after the last)");
            if (decoder is not null || _config.InsertBleeds.Probability > 0)
                Log($"fold {fold} epoch {epoch + 1}: {insertedThisEpoch} bleeds inserted" + (donors is null ? "" : $" ({pastedThisEpoch} real ones pasted)") +
                    (decoder is null ? "" : $", mean mask loss {maskLossSum / Math.Max(1, order.Length):F4} (weight {_config.MaskLoss})"));
            LearningCurves.Write(_run.Root, $"{_config.Backbone}: loss per epoch");
            var best = state;
            if (_config.Selection == EpochSelection.Last || valLoss < state.BestValLoss || state.BestEpoch < 0)
            {
                if (averaged) average!.Save(_run.BestModel(fold), Path.Combine(_run.FoldDir(fold), "best.decoder"));
                else
                {
                    model.save(_run.BestModel(fold));
                    decoder?.save(Path.Combine(_run.FoldDir(fold), "best.decoder"));
                }
                best = state with { BestValLoss = valLoss, BestEpoch = epoch + 1 };
            }
            state = best with { Epoch = epoch + 1, Batch = 0, TrainLossSum = 0, TrainCount = 0 };
            SaveLast(model, decoder, optimizer, average, (long)(epoch + 1) * batches, fold, state);
        }
        state = state with { Completed = true };
        state.Write(_run.StatePath(fold));
        return new FoldResult(fold, state.BestEpoch, state.BestValLoss, _run.BestModel(fold));
    }

    private int[] BatchIndices(int[] order, int batch) => order.Skip(batch * _config.BatchSize).Take(_config.BatchSize).ToArray();

    /// <summary>
    /// Batch <paramref name="batch"/> of an epoch built in C# (insertion, masks, intensity augmentation): a pure function of
    /// its position, every draw from streams seeded by (fold, epoch, batch), so it may be built ahead on another thread.
    /// </summary>
    private TrainingBatch BuildBatch(SliceTable table, int[] order, BleedDonors? donors, int fold, int epoch, int batch)
    {
        var intensity = _config.Augment is { Enabled: true, Intensity.P: > 0 }
            ? new IntensityAugmenter(_config.Augment.Intensity, new Random(Seeds.Derive(_config.Seed, fold, epoch, batch, 0x1E7)))
            : null;
        return TrainingBatch.Build(table, BatchIndices(order, batch), _config.InsertBleeds, _config.MaskLoss > 0 ? _masks : null,
            new Random(Seeds.Derive(_config.Seed, fold, epoch, batch, 0x1B5)), donors, intensity, _config.MaskChannels.Count());
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
                _progress?.Report(new TrainProgress(TrainPhase.Validation, Math.Min(start + batch, slices.Length), slices.Length) { Fold = fold, Epoch = epoch + 1 });
            }
        }
        model.train();
        var loss = Ich.Metrics.WeightedLogLoss.ComputeFlat(probs, labels).Total;
        var aucs = Enumerable.Range(0, HemorrhageClasses.Count).Select(k => Ich.Metrics.RocAuc.Compute(
            Enumerable.Range(0, slices.Length).Select(i => (double)probs[i * HemorrhageClasses.Count + k]).ToArray(),
            Enumerable.Range(0, slices.Length).Select(i => labels[i * HemorrhageClasses.Count + k] > 0.5f).ToArray())).ToArray();
        return (loss, aucs);
    }

    /// <summary>Channels of the backbone's last feature map (the decoder's input), from one eval-mode pass on zeros.</summary>
    private long FeatureMapChannels(SliceCnn model)
    {
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var channels = model.FeatureMap(zeros(1, 3, _config.ImageSize, _config.ImageSize, device: _device)).shape[1];
        model.train();
        return channels;
    }

    private string LastDecoder(int fold) => Path.Combine(_run.FoldDir(fold), "last.decoder");
    private string LastAverage(int fold) => Path.Combine(_run.FoldDir(fold), "last.ema");
    private string LastDecoderAverage(int fold) => Path.Combine(_run.FoldDir(fold), "last.decoder.ema");

    private void SaveLast(SliceCnn model, SegmentationDecoder? decoder, TorchSharp.Modules.Adam optimizer, FoldWeightAverage? average, long stepsDone,
        int fold, FoldState state)
    {
        // Write to temporaries first so a crash mid-save never leaves a half-written resume point.
        if (decoder is not null)
        {
            decoder.save(LastDecoder(fold) + ".tmp");
            File.Move(LastDecoder(fold) + ".tmp", LastDecoder(fold), overwrite: true);
        }
        if (average is not null && average.HasStarted(stepsDone))
        {
            average.Save(LastAverage(fold) + ".tmp", LastDecoderAverage(fold) + ".tmp");
            File.Move(LastAverage(fold) + ".tmp", LastAverage(fold), overwrite: true);
            if (decoder is not null) File.Move(LastDecoderAverage(fold) + ".tmp", LastDecoderAverage(fold), overwrite: true);
        }
        model.save(_run.LastModel(fold) + ".tmp");
        optimizer.save_state_dict(_run.LastOptimizer(fold) + ".tmp");
        File.Move(_run.LastModel(fold) + ".tmp", _run.LastModel(fold), overwrite: true);
        File.Move(_run.LastOptimizer(fold) + ".tmp", _run.LastOptimizer(fold), overwrite: true);
        state.Write(_run.StatePath(fold));
    }

    private void Log(string line)
    {
        _run.Log(line);
        TrainingLog.Info(_log, line);
    }
}
