using Ich.Application.Prediction;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.TestKit;
using Ich.Training.Cnn;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The weight average (<c>ema</c>): its arithmetic, its exact swap and checkpoint round trip, and the trainer with it on —
/// the live weights train exactly as without it, what is validated and kept is the average, and a resume is exact.
/// </summary>
public class WeightAverageTests
{
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear _fc;
        private readonly TorchSharp.Modules.BatchNorm1d _bn;

        public Tiny() : base("tiny")
        {
            _fc = nn.Linear(2, 2);
            _bn = nn.BatchNorm1d(2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => _bn.call(_fc.call(x));

        public Tensor Weight => _fc.weight!;
        public Tensor Counter => _bn.num_batches_tracked!;
    }

    [Fact]
    public void Update_AveragesWithTheWarmedUpDecay_AndCopiesIntegerBuffers()
    {
        using var module = new Tiny();
        using (no_grad()) module.Weight.copy_(tensor(new float[] { 1, 2, 3, 4 }).view(2, 2));
        using var average = new WeightAverage(module);
        using (no_grad())
        {
            module.Weight.copy_(tensor(new float[] { 11, 12, 13, 14 }).view(2, 2));
            module.Counter.fill_(7);
        }
        // Step 0: d = min(0.99, 1/10) = 0.1, so the average moves 90 % of the way to the new weights.
        Assert.Equal(0.1, WeightAverage.DecayAt(0.99, 0), 12);
        Assert.Equal(0.99, WeightAverage.DecayAt(0.99, 100_000), 12);
        average.Update(0.99, 0);
        average.Swap();
        var averaged = module.Weight.data<float>().ToArray();
        foreach (var (got, want) in averaged.Zip(new[] { 10f, 11f, 12f, 13f })) Assert.Equal(want, got, 4);
        Assert.Equal(7L, module.Counter.item<long>());
        // Swapping back gives the live weights again, bit for bit.
        average.Swap();
        Assert.Equal(new[] { 11f, 12f, 13f, 14f }, module.Weight.data<float>().ToArray());
    }

    [Fact]
    public void SaveAndLoad_RoundTripTheAverage_AndLeaveTheLiveWeights()
    {
        var dir = RepoPaths.NewTempDir();
        using var module = new Tiny();
        using var average = new WeightAverage(module);
        var start = module.Weight.data<float>().ToArray();
        using (no_grad()) module.Weight.add_(1);
        var live = module.Weight.data<float>().ToArray();
        var path = Path.Combine(dir, "average.ema");
        average.Save(module, path);
        Assert.Equal(live, module.Weight.data<float>().ToArray());

        average.Update(0.5, 1_000); // the average moves half way to the live weights
        average.Load(module, path);  // and back to what was saved
        Assert.Equal(live, module.Weight.data<float>().ToArray());
        average.Swap();
        Assert.Equal(start, module.Weight.data<float>().ToArray());
        Directory.Delete(dir, true);
    }

    private static CnnTrainConfig Config(double ema) => new()
    {
        Backbone = "small", ImageSize = 64, BatchSize = 4, Epochs = 2, Folds = 2, TrainFolds = 1, Seed = 9, Ema = ema,
        MaskLoss = 1, InsertBleeds = new BleedInsertionConfig { Probability = 0.5, AssumedSpacingMm = 0.9 },
    };

    private static CnnRunResult Train(CnnTrainConfig config, string dir, bool resume = false, IProgress<TrainProgress>? progress = null, CancellationToken cancel = default) =>
        new CnnTrainer(config, TinyScans.Make(4, 4, size: 160), dir, TorchRuntime.ResolveDevice("cpu"), progress).RunWithRetry(resume, cancel);

    private static byte[] Bytes(string dir, string file) => File.ReadAllBytes(Path.Combine(dir, "fold0", file));

    [Fact]
    public void Run_WithEma_TrainsTheSameLiveWeights_KeepsTheAverage_AndResumesExactly()
    {
        var plain = RepoPaths.NewTempDir();
        var averaged = RepoPaths.NewTempDir();
        var resumed = RepoPaths.NewTempDir();
        Assert.True(Train(Config(0), plain).Completed);
        Assert.True(Train(Config(0.9), averaged).Completed);

        // The average only watches: the live weights (and the live decoder) are the plain run's, bit for bit.
        Assert.Equal(Bytes(plain, "last.model"), Bytes(averaged, "last.model"));
        Assert.Equal(Bytes(plain, "last.decoder"), Bytes(averaged, "last.decoder"));
        // Without an average the kept weights are the last ones; with it they are not, and validation scored them.
        Assert.Equal(Bytes(plain, "best.model"), Bytes(plain, "last.model"));
        Assert.NotEqual(Bytes(averaged, "best.model"), Bytes(averaged, "last.model"));
        Assert.NotEqual(Bytes(averaged, "best.decoder"), Bytes(averaged, "last.decoder"));
        Assert.Equal(Bytes(averaged, "best.model"), Bytes(averaged, "last.ema"));
        Assert.NotEqual(ValidationLosses(plain), ValidationLosses(averaged));
        Assert.Contains("weights averaged (ema 0.9)", File.ReadAllText(Path.Combine(averaged, "log.txt")), StringComparison.Ordinal);

        // Interrupted in the middle of the second epoch and resumed: every file equals the undisturbed run's.
        using var cts = new CancellationTokenSource();
        Assert.False(Train(Config(0.9), resumed, cancel: cts.Token, progress: new SyncProgress<TrainProgress>(p =>
        {
            if (p is { Phase: TrainPhase.TrainEpoch, Fold: 0, Epoch: 2, Done: 1 }) cts.Cancel();
        })).Completed);
        Assert.True(Train(Config(0.9), resumed, resume: true).Completed);
        foreach (var file in new[] { "best.model", "best.decoder", "last.model", "last.ema", "last.decoder.ema" })
            Assert.Equal(Bytes(averaged, file), Bytes(resumed, file));
        foreach (var d in new[] { plain, averaged, resumed }) Directory.Delete(d, true);
    }

    private static string[] ValidationLosses(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => l.Split(',')[4]).ToArray();

    [Fact]
    public void Config_Ema_IsOffByDefault_LeftOutOfTheJsonThen_AndBounded()
    {
        var off = Config(0);
        Assert.DoesNotContain("\"ema\"", off.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"ema\": 0.998", (off with { Ema = 0.998 }).ToJson(), StringComparison.Ordinal);
        Assert.False(off.TrainsLike(off with { Ema = 0.998 }));
        foreach (var bad in new[] { 0.5, 1.0, -0.1, double.NaN })
            Assert.Contains("must be 0 (off) or in [0.9, 1)", Assert.Throws<ConfigException>(() => (off with { Ema = bad }).Validate()).Message, StringComparison.Ordinal);
    }
}
