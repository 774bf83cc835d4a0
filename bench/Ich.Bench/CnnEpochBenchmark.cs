using System.Globalization;
using Ich.Application.TrainAll;
using Ich.Model.Runtime;
using Ich.Synth;
using Ich.Training.Cnn;

namespace Ich.Bench;

/// <summary>
/// <c>cnn-epoch</c>: a training epoch of one of the default recipe's CNNs (configs/default.json: insertion and pasting,
/// masks, intensity augmentation, head framing) on broad-style phantoms, with each batch built on a worker while
/// libtorch trains on the one before (<see cref="BatchPrefetcher{T}"/>, what `ich train` does), against the baseline of
/// the same epoch with every batch built when it is needed, measured in the same run. The two trained weights must be
/// identical (checked). The real patients' share is dropped (the phantoms only; the work per batch is the same kind).
/// Usage: bench/run cnn-epoch [--system small160|r18in160] [--samples N] [--scans N] [--config FILE] [--threads N]
/// </summary>
public sealed class CnnEpochBenchmark : IBenchmark
{
    public string Name => "cnn-epoch";
    public string Description => "one epoch of the default's CNN recipe: batches prefetched vs built when needed (same weights)";

    public int Run(string[] args)
    {
        var system = BenchArgs.Option(args, "--system") ?? "small160";
        var samples = BenchArgs.IntOption(args, "--samples", 640);
        var scanCount = BenchArgs.IntOption(args, "--scans", 30);
        var configPath = BenchArgs.Option(args, "--config") ?? Path.Combine(BenchPaths.RepositoryRoot(), "configs", "default.json");
        var threads = BenchArgs.IntOption(args, "--threads", 2);
        TorchRuntime.Initialize(threads);
        var recipe = TrainAllConfig.Load(configPath);
        if (!recipe.Cnn.TryGetValue(system, out var cnn)) { Console.WriteLine($"{configPath} has no CNN '{system}' (has: {string.Join(", ", recipe.Cnn.Keys)})"); return 2; }

        var dir = Path.Combine(Path.GetTempPath(), $"ich-bench-cnn-epoch-{Guid.NewGuid():N}");
        try
        {
            var phantoms = Path.Combine(dir, "phantoms");
            PhantomGenerator.Write(new SynthOptions { Seed = 1000, Size = 256, Style = PhantomStyle.Broad }, phantoms, scanCount);
            var scans = TrainingData.Load([new DatasetSpec("phantom", phantoms)]);
            // Three epochs, the second timed: the first warms the JIT and the caches, the last is validated.
            var config = cnn with
            {
                Datasets = [new DatasetSpec("phantom", phantoms)], Epochs = 3, ValidateEvery = 3, TrainFolds = 1, Init = CnnInit.Scratch,
                Sampling = cnn.Sampling with { MaxPerEpoch = samples, DatasetShares = new Dictionary<string, double>() },
            };
            Console.WriteLine($"{system} ({config.Backbone}, {config.ImageSize} px, batch {config.BatchSize}): {scans.Count} broad phantoms, {samples} samples per epoch, {threads} thread(s)");
            var inline = Epoch(config, scans, Path.Combine(dir, "inline"), prefetch: false);
            var prefetched = Epoch(config, scans, Path.Combine(dir, "prefetched"), prefetch: true);
            var same = File.ReadAllBytes(Path.Combine(dir, "inline", "fold0", "last.model")).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(dir, "prefetched", "fold0", "last.model")));
            Console.WriteLine($"baseline, batches built when needed: {inline,7:F1} s/epoch  {inline * 1000 / samples,6:F2} ms/sample");
            Console.WriteLine($"batches prefetched:                  {prefetched,7:F1} s/epoch  {prefetched * 1000 / samples,6:F2} ms/sample  ×{prefetched / inline:F2} of the baseline");
            Console.WriteLine($"weights identical: {(same ? "yes" : "NO")}");
            return same ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    /// <summary>The wall time of the second epoch (not validated), from the run's metrics.csv.</summary>
    private static double Epoch(CnnTrainConfig config, IReadOnlyList<Ich.Core.Scans.ScanRecord> scans, string runDir, bool prefetch)
    {
        var result = new CnnTrainer(config, scans, runDir, TorchRuntime.ResolveDevice("cpu")) { PrefetchBatches = prefetch }
            .RunWithRetry(false, default);
        if (!result.Completed) throw new InvalidOperationException("the benchmark's run did not complete");
        var row = File.ReadAllLines(Path.Combine(runDir, "metrics.csv")).Skip(1).First(l => l.StartsWith("0,2,", StringComparison.Ordinal));
        return double.Parse(row[(row.LastIndexOf(',') + 1)..], CultureInfo.InvariantCulture);
    }
}
