using System.Diagnostics;
using System.Globalization;
using Ich.Model.Runtime;
using Ich.Model.Sequence;
using Ich.Training.Sequence;
using static TorchSharp.torch;

namespace Ich.Bench;

/// <summary>
/// <c>seq-train</c>: where a sequence-stage epoch spends its time, on synthetic out-of-fold features shaped like
/// the default model's (195 scans of 24–64 slices, 256 features, 5 folds, the default network and batch). Phases:
/// one training epoch (windows, batches, forward, backward, Adam), the per-epoch validation pass over the held-out
/// scans, and the out-of-fold prediction a fold ends with. Baseline: the same epoch's windows sampled and packed into
/// batch tensors without the network, measured in the same run. Usage: bench/run seq-train [--epochs N] [--threads N]
/// </summary>
public sealed class SeqTrainBenchmark : IBenchmark
{
    public string Name => "seq-train";
    public string Description => "sequence-stage cost per epoch: training steps, validation pass, OOF prediction";

    public int Run(string[] args)
    {
        var epochs = BenchArgs.IntOption(args, "--epochs", 3);
        var threads = BenchArgs.IntOption(args, "--threads", 2);
        TorchRuntime.Initialize();
        set_num_threads(threads);
        var config = new SeqTrainConfig { Folds = 5, Epochs = epochs, BatchScans = 16, WindowsPerScan = 4, Window = 24, LearningRate = 5e-4, Milestones = [20, 26] };
        var options = new SequenceNetOptions { FeatureSets = 1, FeatureDim = 256, ProbabilitySets = 1 };
        var scans = SyntheticScans(195, options.FeatureDim);
        var train = scans.Take(156).ToList();
        var val = scans.Skip(156).ToList();

        TorchSeed.Set(1);
        using var net = new SliceSequenceNet(options);
        using var optimizer = optim.Adam(net.parameters(), lr: config.LearningRate);
        var sampler = new WindowSampler(config.Window, config.EveryOtherProbability, config.EveryOtherMinSlices, config.ReverseProbability);
        var rng = new Random(1);
        var valLabels = val.SelectMany(s => s.Labels!).ToArray();

        double forwardMs = 0, backwardMs = 0, stepMs = 0;
        double TrainEpoch(bool batchesOnly)
        {
            net.train();
            var sw = Stopwatch.StartNew();
            var order = Enumerable.Range(0, train.Count * config.WindowsPerScan).Select(i => i % train.Count).ToArray();
            rng.Shuffle(order);
            for (var start = 0; start < order.Length; start += config.BatchScans)
            {
                using var scope = NewDisposeScope();
                var views = order.Skip(start).Take(config.BatchScans).Select(i => sampler.Sample(train[i], rng)).ToList();
                var (input, targets) = SequenceBatch.Build(views, options);
                if (batchesOnly) continue;
                var t0 = sw.Elapsed.TotalMilliseconds;
                optimizer.zero_grad();
                var (s1, s2) = net.Forward(input);
                var loss = SequenceLoss.Joint(s1, s2, targets!, input.Mask);
                var t1 = sw.Elapsed.TotalMilliseconds;
                loss.backward();
                var t2 = sw.Elapsed.TotalMilliseconds;
                optimizer.step();
                forwardMs += t1 - t0; backwardMs += t2 - t1; stepMs += sw.Elapsed.TotalMilliseconds - t2;
            }
            return sw.Elapsed.TotalMilliseconds;
        }
        double Validate()
        {
            var sw = Stopwatch.StartNew();
            var pred = SequencePredictor.Predict([net], val, reversedPass: false, batchScans: config.BatchScans);
            Ich.Metrics.WeightedLogLoss.ComputeFlat(pred.SelectMany(p => p.Stage2).ToArray(), valLabels);
            return sw.Elapsed.TotalMilliseconds;
        }
        double PredictOof()
        {
            var sw = Stopwatch.StartNew();
            SequencePredictor.Predict([net], val, reversedPass: true, batchScans: config.BatchScans);
            return sw.Elapsed.TotalMilliseconds;
        }

        TrainEpoch(false); // warm-up
        var baseline = Median(Enumerable.Range(0, epochs).Select(_ => TrainEpoch(true)));
        forwardMs = backwardMs = stepMs = 0;
        var trainMs = Median(Enumerable.Range(0, epochs).Select(_ => TrainEpoch(false)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per training epoch: forward + loss {forwardMs / epochs:F0} ms, backward {backwardMs / epochs:F0} ms, Adam {stepMs / epochs:F0} ms"));
        var valMs = Median(Enumerable.Range(0, epochs).Select(_ => Validate()));
        var oofMs = Median(Enumerable.Range(0, epochs).Select(_ => PredictOof()));
        var steps = (train.Count * config.WindowsPerScan + config.BatchScans - 1) / config.BatchScans;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline (batches only, no network) {baseline,9:F0} ms/epoch\ntraining epoch ({steps} steps)       {trainMs,9:F0} ms   ×{trainMs / baseline:F1}\n" +
            $"validation pass ({val.Count} scans)        {valMs,9:F0} ms   ×{valMs / baseline:F1}\nOOF prediction (fwd + reversed)      {oofMs,9:F0} ms   ×{oofMs / baseline:F1}"));
        var perSystem = config.Folds * (30 * (trainMs + valMs) + oofMs) / 60000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one system, 5 folds × 30 epochs ≈ {perSystem:F1} min ({config.Folds * 30 * valMs / 60000:F1} min of it validation passes)"));
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>Scans of 24–64 slices with random features and a contiguous bleed in every third scan.</summary>
    private static List<SequenceScanData> SyntheticScans(int count, int dim)
    {
        var rng = new Random(7);
        var scans = new List<SequenceScanData>();
        for (var s = 0; s < count; s++)
        {
            var length = 24 + rng.Next(41);
            var features = new float[length * dim];
            for (var i = 0; i < features.Length; i++) features[i] = (float)rng.NextDouble();
            var probs = new float[length * 6];
            var labels = new float[length * 6];
            for (var i = 0; i < length; i++)
            {
                var bleeding = s % 3 == 0 && i > length / 3 && i < length / 2;
                for (var c = 0; c < 6; c++)
                {
                    probs[i * 6 + c] = (float)rng.NextDouble();
                    labels[i * 6 + c] = bleeding && (c == 0 || c == 1 + s % 5) ? 1 : 0;
                }
            }
            scans.Add(new SequenceScanData([features], [probs], Enumerable.Range(0, length).Select(i => i * 5.0).ToArray(), Labels: labels));
        }
        return scans;
    }
}
