using Ich.Application.Prediction;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.TestKit;
using Ich.Training.Cnn;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The weight average (<c>averageWeightsFrom</c>): its arithmetic, its exact swap and checkpoint round trip, and the trainer with it on —
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
    public void Update_KeepsTheGivenShare_AndCopiesIntegerBuffers()
    {
        using var module = new Tiny();
        using (no_grad()) module.Weight.copy_(tensor(new float[] { 1, 2, 3, 4 }).view(2, 2));
        using var average = new WeightAverage(module);
        using (no_grad())
        {
            module.Weight.copy_(tensor(new float[] { 11, 12, 13, 14 }).view(2, 2));
            module.Counter.fill_(7);
        }
        average.Update(0.5); // the mean of the two
        average.Swap();
        Assert.Equal(new[] { 6f, 7f, 8f, 9f }, module.Weight.data<float>().ToArray());
        Assert.Equal(7L, module.Counter.item<long>());
        // Swapping back gives the live weights again, bit for bit; keep 0 restarts the average at them.
        average.Swap();
        Assert.Equal(new[] { 11f, 12f, 13f, 14f }, module.Weight.data<float>().ToArray());
        average.Update(0);
        average.Swap();
        Assert.Equal(new[] { 11f, 12f, 13f, 14f }, module.Weight.data<float>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => average.Update(1));
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

        average.Update(0.5); // the average moves half way to the live weights
        average.Load(module, path);  // and back to what was saved
        Assert.Equal(live, module.Weight.data<float>().ToArray());
        average.Swap();
        Assert.Equal(start, module.Weight.data<float>().ToArray());
        Directory.Delete(dir, true);
    }

    private static CnnTrainConfig Config(double from) => new()
    {
        Backbone = "small", ImageSize = 64, BatchSize = 4, Epochs = 2, Folds = 2, TrainFolds = 1, Seed = 9, AverageWeightsFrom = from,
        MaskLoss = 1, InsertBleeds = new BleedInsertionConfig { Probability = 0.5, AssumedSpacingMm = 0.9 },
    };

    private static CnnRunResult Train(CnnTrainConfig config, string dir, bool resume = false, IProgress<TrainProgress>? progress = null, CancellationToken cancel = default) =>
        new CnnTrainer(config, TinyScans.Make(4, 4, size: 160), dir, TorchRuntime.ResolveDevice("cpu"), progress).RunWithRetry(resume, cancel);

    private static byte[] Bytes(string dir, string file) => File.ReadAllBytes(Path.Combine(dir, "fold0", file));

    [Fact]
    public void Run_AveragingTheSecondHalf_TrainsTheSameLiveWeights_KeepsTheMean_AndResumesExactly()
    {
        var plain = RepoPaths.NewTempDir();
        var averaged = RepoPaths.NewTempDir();
        var resumed = RepoPaths.NewTempDir();
        Assert.True(Train(Config(0), plain).Completed);
        Assert.True(Train(Config(0.5), averaged).Completed);

        // The average only watches: the live weights (and the live decoder) are the plain run's, bit for bit.
        Assert.Equal(Bytes(plain, "last.model"), Bytes(averaged, "last.model"));
        Assert.Equal(Bytes(plain, "last.decoder"), Bytes(averaged, "last.decoder"));
        // Without an average the kept weights are the last ones; with it they are the mean of the second epoch's.
        Assert.Equal(Bytes(plain, "best.model"), Bytes(plain, "last.model"));
        Assert.NotEqual(Bytes(averaged, "best.model"), Bytes(averaged, "last.model"));
        Assert.NotEqual(Bytes(averaged, "best.decoder"), Bytes(averaged, "last.decoder"));
        Assert.Equal(Bytes(averaged, "best.model"), Bytes(averaged, "last.ema"));
        // The first epoch ends before the average starts, so it validates the live weights; the second validates the mean.
        var (plainLosses, averagedLosses) = (ValidationLosses(plain), ValidationLosses(averaged));
        Assert.Equal(plainLosses[0], averagedLosses[0]);
        Assert.NotEqual(plainLosses[1], averagedLosses[1]);
        Assert.Contains("keeping the mean of its weights from 0.5 of the schedule on", File.ReadAllText(Path.Combine(averaged, "log.txt")), StringComparison.Ordinal);

        // Interrupted in the middle of the second epoch and resumed: every file equals the undisturbed run's.
        using var cts = new CancellationTokenSource();
        Assert.False(Train(Config(0.5), resumed, cancel: cts.Token, progress: new SyncProgress<TrainProgress>(p =>
        {
            if (p is { Phase: TrainPhase.TrainEpoch, Fold: 0, Epoch: 2, Done: 1 }) cts.Cancel(); // one step into the average
        })).Completed);
        Assert.True(File.Exists(Path.Combine(resumed, "fold0", "last.ema")));
        Assert.True(Train(Config(0.5), resumed, resume: true).Completed);
        foreach (var file in new[] { "best.model", "best.decoder", "last.model", "last.ema", "last.decoder.ema" })
            Assert.Equal(Bytes(averaged, file), Bytes(resumed, file));
        foreach (var d in new[] { plain, averaged, resumed }) Directory.Delete(d, true);
    }

    [Fact]
    public void AverageStartStep_IsTheFractionOfTheSchedule_AndNeverAfterTheLastStep()
    {
        var config = Config(0.5) with { Epochs = 4 };
        Assert.Equal(20, config.AverageStartStep(10));               // half of 40 steps
        Assert.Equal(27, (config with { AverageWeightsFrom = 0.67 }).AverageStartStep(10)); // ceil(26.8)
        Assert.Equal(39, (config with { AverageWeightsFrom = 0.999 }).AverageStartStep(10)); // at least the last step
    }

    private static string[] ValidationLosses(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => l.Split(',')[4]).ToArray();

    [Fact]
    public void Config_AverageWeightsFrom_IsOffByDefault_LeftOutOfTheJsonThen_AndAFraction()
    {
        var off = Config(0);
        Assert.DoesNotContain("averageWeightsFrom", off.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"averageWeightsFrom\": 0.67", (off with { AverageWeightsFrom = 0.67 }).ToJson(), StringComparison.Ordinal);
        Assert.False(off.TrainsLike(off with { AverageWeightsFrom = 0.67 }));
        foreach (var bad in new[] { 1.0, -0.1, 1.5, double.NaN })
            Assert.Contains("must be 0 (off) or a fraction of the schedule in (0, 1)",
                Assert.Throws<ConfigException>(() => (off with { AverageWeightsFrom = bad }).Validate()).Message, StringComparison.Ordinal);
    }
}
