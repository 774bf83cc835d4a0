using Ich.Model.Runtime;
using Ich.TestKit;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The trainer with issue 12's switches on (mask loss and bleed insertion): it trains, inserts bleeds, keeps the
/// decoder beside the classifier (best.decoder / last.decoder), and the classifier checkpoint still loads as a
/// plain backbone — the model-folder format is unchanged.
/// </summary>
public class CnnTrainerDenseTests
{
    [Fact]
    public void Run_MaskLossAndInsertionOn_TrainsAndKeepsClassifierFormat()
    {
        var dir = RepoPaths.NewTempDir();
        var config = new CnnTrainConfig
        {
            Backbone = "small", ImageSize = 64, BatchSize = 8, Epochs = 1, Folds = 2, Seed = 5,
            MaskLoss = 1, InsertBleeds = new BleedInsertionConfig { Probability = 0.5, AssumedSpacingMm = 0.9 },
        };
        var result = new CnnTrainer(config, TinyScans.Make(4, 4, size: 160), dir, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default);
        Assert.True(result.Completed);
        foreach (var f in new[] { 0, 1 })
        {
            Assert.True(File.Exists(Path.Combine(dir, $"fold{f}", "best.decoder")));
            Assert.True(File.Exists(Path.Combine(dir, $"fold{f}", "last.decoder")));
            using var classifier = CnnModels.Load("small", Path.Combine(dir, $"fold{f}", "best.model"));
            Assert.Equal("small", classifier.Backbone);
        }
        var log = File.ReadAllText(Path.Combine(dir, "log.txt"));
        var inserted = System.Text.RegularExpressions.Regex.Matches(log, @"(\d+) bleeds inserted, mean mask loss ([0-9.]+)");
        Assert.Equal(2, inserted.Count);
        Assert.True(inserted.Sum(m => int.Parse(m.Groups[1].Value)) > 0, log);
        Assert.All(inserted, m => Assert.InRange(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 0.001, 5));
    }

    [Fact]
    public void Run_SubtypeMaskChannels_TrainsASixChannelDecoder_OnTheSameBatchesAsBlood()
    {
        var config = new CnnTrainConfig
        {
            Backbone = "small", ImageSize = 64, BatchSize = 8, Epochs = 1, Folds = 2, TrainFolds = 1, Seed = 5,
            MaskLoss = 1, MaskChannels = MaskChannels.Subtypes, InsertBleeds = new BleedInsertionConfig { Probability = 0.5, AssumedSpacingMm = 0.9 },
        };
        var dir = RepoPaths.NewTempDir();
        Assert.True(new CnnTrainer(config, TinyScans.Make(4, 4, size: 160), dir, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default).Completed);

        using var cnn = CnnModels.Load("small", Path.Combine(dir, "fold0", "best.model"));
        using var decoder = new Ich.Model.Cnn.Segmentation.SegmentationDecoder(Ich.Model.Cnn.Segmentation.DecoderInput.FeatureMapChannels(cnn, 64), 0, outChannels: 6);
        decoder.load(Path.Combine(dir, "fold0", "best.decoder"), strict: true); // six channels, as configured
        var log = File.ReadAllText(Path.Combine(dir, "log.txt"));
        var line = System.Text.RegularExpressions.Regex.Match(log, @"(\d+) bleeds inserted, mean mask loss ([0-9.]+)");
        Assert.True(line.Success, log);
        Assert.InRange(double.Parse(line.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 0.001, 5);

        // Same seed with one channel: the same bleeds go in (the channel count changes only the mask targets).
        var blood = RepoPaths.NewTempDir();
        Assert.True(new CnnTrainer(config with { MaskChannels = MaskChannels.Blood }, TinyScans.Make(4, 4, size: 160), blood, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default).Completed);
        var bloodLine = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(blood, "log.txt")), @"(\d+) bleeds inserted");
        Assert.Equal(line.Groups[1].Value, bloodLine.Groups[1].Value);
        Assert.Contains("maskChannels \"subtypes\" needs maskLoss > 0",
            Assert.Throws<Ich.Core.Errors.ConfigException>(() => (config with { MaskLoss = 0 }).Validate()).Message, StringComparison.Ordinal);
        Directory.Delete(dir, true);
        Directory.Delete(blood, true);
    }
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_PrefetchedBatches_TrainTheSameWeightsAsBatchesBuiltWhenNeeded(bool flushDenormals)
    {
        // Every C#-built part of a batch at once: synthetic and pasted bleeds, known masks, intensity augmentation, head frames.
        var config = new CnnTrainConfig
        {
            Backbone = "small", ImageSize = 64, BatchSize = 4, Epochs = 2, Folds = 2, TrainFolds = 1, Seed = 11,
            MaskLoss = 1, Framing = Ich.Core.Scans.InputFraming.Head,
            InsertBleeds = new BleedInsertionConfig { Probability = 0.6, PasteShare = 0.5, AssumedSpacingMm = 0.9 },
            Augment = new AugmentConfig { Enabled = true, Intensity = new IntensityAugmentConfig { P = 0.7, Contrast = 0.3, OffsetHu = 8, NoiseHu = 8, BlurPx = 1 } },
            FlushDenormals = flushDenormals, // flushing: the batches are built on pool threads in the training thread's mode
        };
        var scans = TinyScans.Make(4, 4, size: 160);
        var prefetched = RepoPaths.NewTempDir();
        var inline = RepoPaths.NewTempDir();
        Assert.True(new CnnTrainer(config, scans, prefetched, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default).Completed);
        Assert.True(new CnnTrainer(config, scans, inline, TorchRuntime.ResolveDevice("cpu")) { PrefetchBatches = false }.RunWithRetry(false, default).Completed);

        foreach (var file in new[] { "last.model", "last.decoder", "best.model" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(inline, "fold0", file)), File.ReadAllBytes(Path.Combine(prefetched, "fold0", file)));
        static string[] Inserted(string dir) => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(dir, "log.txt")), @"\d+ bleeds inserted \(\d+ real ones pasted\)").Select(m => m.Value).ToArray();
        Assert.Equal(2, Inserted(inline).Length);
        Assert.Equal(Inserted(inline), Inserted(prefetched));
        Directory.Delete(prefetched, true);
        Directory.Delete(inline, true);
    }
}
