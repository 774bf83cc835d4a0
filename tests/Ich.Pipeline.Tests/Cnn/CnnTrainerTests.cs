using Ich.Application.Prediction;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.TestKit;
using Ich.Training;
using Ich.Training.Cnn;
using Ich.Training.Features;

namespace Ich.Pipeline.Tests.Cnn;

public class CnnTrainerTests
{
    private static CnnTrainConfig Tiny(int epochs = 1) => new()
    {
        Backbone = "small", ImageSize = 64, BatchSize = 8, Epochs = epochs, Folds = 2, Seed = 5, Tta = 2,
    };

    private static CnnRunResult Train(CnnTrainConfig config, string dir, bool resume = false,
        IProgress<TrainProgress>? progress = null, CancellationToken cancel = default) =>
        new CnnTrainer(config, TinyScans.Make(6, 6), dir, TorchRuntime.ResolveDevice("cpu"), progress).RunWithRetry(resume, cancel);

    [Fact]
    public void RunWithRetry_AfterALibtorchErrorMidEpoch_ResumesToTheWeightsOfAnUndisturbedRun()
    {
        var config = Tiny(epochs: 2);
        var undisturbed = RepoPaths.NewTempDir();
        Assert.True(Train(config, undisturbed).Completed);
        // The error TorchSharp's Scalar race raises, thrown from inside the run after a step of fold 1's second epoch.
        var fault = new FailOnce(p => p is { Phase: TrainPhase.TrainEpoch, Fold: 1, Epoch: 2, Done: 1 });
        var disturbed = RepoPaths.NewTempDir();

        Assert.True(Train(config, disturbed, progress: fault).Completed);

        Assert.True(fault.Failed);
        foreach (var f in new[] { 0, 1 })
            foreach (var file in new[] { "last.model", "best.model", "last.optim" })
                Assert.Equal(File.ReadAllBytes(Path.Combine(undisturbed, $"fold{f}", file)), File.ReadAllBytes(Path.Combine(disturbed, $"fold{f}", file)));
        // One row per fold and epoch, as undisturbed (the last column is the epoch's wall time).
        static string[] Rows(string dir) => File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(l => l[..l.LastIndexOf(',')]).ToArray();
        Assert.Equal(Rows(undisturbed), Rows(disturbed));
        Directory.Delete(undisturbed, true);
        Directory.Delete(disturbed, true);
    }

    private sealed class FailOnce(Func<TrainProgress, bool> when) : IProgress<TrainProgress>
    {
        public bool Failed { get; private set; }

        public void Report(TrainProgress value)
        {
            if (Failed || !when(value)) return;
            Failed = true;
            throw new System.Runtime.InteropServices.ExternalException("simulated libtorch error: argument alpha must not be a floating point number");
        }
    }

    [Fact]
    public void Run_TinyTwoFolds_WritesCheckpointsMetricsAndOofFeatures()
    {
        var dir = RepoPaths.NewTempDir();
        var result = Train(Tiny(), dir);

        Assert.True(result.Completed);
        foreach (var f in new[] { 0, 1 })
        {
            Assert.True(File.Exists(Path.Combine(dir, $"fold{f}", "best.model")));
            Assert.True(File.Exists(Path.Combine(dir, $"fold{f}", "last.optim")));
        }
        var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.Equal(RunFolder.MetricsHeader, metrics[0]);
        Assert.Equal(3, metrics.Length); // 2 folds × 1 epoch
        // Learning curves: train and validation loss recorded per fold and epoch, and drawn.
        var curves = LearningCurves.Read(Path.Combine(dir, "metrics.csv"));
        Assert.Equal([(0, 1), (1, 1)], curves.Select(c => (c.Fold, c.Epoch)));
        Assert.All(curves, c => { Assert.InRange(c.TrainLoss, 0.01, 5); Assert.InRange(c.ValLoss, 0.01, 5); });
        using (var png = SkiaSharp.SKBitmap.Decode(Path.Combine(dir, LearningCurves.FileName)))
            Assert.Equal((Ich.Metrics.Reporting.LearningCurveFigure.Width, Ich.Metrics.Reporting.LearningCurveFigure.Height), (png.Width, png.Height));
        foreach (var name in new[] { "config.json", "run.json", "data_summary.json", "folds.csv", "log.txt" })
            Assert.True(File.Exists(Path.Combine(dir, name)), name);

        var store = FeatureStore.Open(Path.Combine(dir, "features", "oof"));
        Assert.Equal(new FeatureStoreMeta("small", 256, 36, "oof", 2, 64, 2), store.Meta);
        Assert.Equal(6, store.Scans.Count);
        // Every scan's OOF fold is the fold it was validated in (folds.csv), and the labels are carried over.
        var folds = File.ReadLines(Path.Combine(dir, "folds.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(p => p[2], p => int.Parse(p[3]));
        Assert.All(store.Rows, r => Assert.Equal(folds[r.ScanId], r.Fold));
        Assert.All(store.Rows, r => Assert.NotNull(r.Labels));
        Assert.Equal(new[] { 0, 1 }, folds.Values.Distinct().Order());
        var probs = store.ReadProbs(0, 36);
        Assert.All(probs, p => Assert.InRange(p, 0f, 1f));

        // `ich features` on other (unlabelled) scans: fold-averaged, kind "test", fold -1, labels empty.
        var other = TinyScans.Make(2, 3, seed: 77).Select(s => s with
        {
            Dataset = "other",
            Slices = s.Slices.Select(x => x with { Labels = null }).ToList(),
        }).ToList();
        var outDir = Path.Combine(dir, "test-features");
        var meta = CnnFeatureRun.Write(dir, other, outDir, tta: 3, TorchRuntime.ResolveDevice("cpu"), null, default);
        Assert.Equal(new FeatureStoreMeta("small", 256, 6, "test", 3, 64, 2), meta);
        var test = FeatureStore.Open(outDir);
        Assert.All(test.Rows, r => { Assert.Equal(-1, r.Fold); Assert.Null(r.Labels); });
        Assert.Throws<IOException>(() => CnnFeatureRun.Write(dir, other, outDir, 1, TorchRuntime.ResolveDevice("cpu"), null, default));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_TrainFoldsOne_TrainsFoldZeroOfTheFullSplit_AndItsStoreIsRefusedForFeaturesAndSequence()
    {
        var full = RepoPaths.NewTempDir();
        var partial = RepoPaths.NewTempDir();
        var config = Tiny() with { Folds = 3, Tta = 1 };
        Assert.True(Train(config, full).Completed);

        var result = Train(config with { TrainFolds = 1 }, partial);

        Assert.True(result.Completed);
        Assert.Equal([0], result.Folds.Select(f => f.Fold));
        Assert.True(File.Exists(Path.Combine(partial, "fold0", "best.model")));
        Assert.False(Directory.Exists(Path.Combine(partial, "fold1")));
        // Same split as the full run; the store holds fold 0's validation patients, every slice of them, and no one else.
        Assert.Equal(File.ReadAllLines(Path.Combine(full, "folds.csv")), File.ReadAllLines(Path.Combine(partial, "folds.csv")));
        var fullStore = FeatureStore.Open(Path.Combine(full, "features", "oof"));
        var store = FeatureStore.Open(Path.Combine(partial, "features", "oof"));
        Assert.All(store.Rows, r => Assert.Equal(0, r.Fold));
        Assert.Equal(fullStore.Rows.Where(r => r.Fold == 0).Select(r => (r.ScanId, r.SliceId)), store.Rows.Select(r => (r.ScanId, r.SliceId)));
        // Fold 0 trained exactly as in the full run (same seed and data), so its out-of-fold probabilities are the same.
        var fold0 = fullStore.Rows.Where(r => r.Fold == 0).Select(r => r.Row).ToList();
        var fullProbs = fullStore.ReadProbs(0, fullStore.Rows.Count);
        var probs = store.ReadProbs(0, store.Rows.Count);
        for (var i = 0; i < fold0.Count; i++)
            for (var c = 0; c < 6; c++)
                Assert.Equal(fullProbs[fold0[i] * 6 + c], probs[i * 6 + c]);

        // Its models are for comparisons on fold 0: `ich features` and a sequence stage refuse the run, saying why.
        var e = Assert.Throws<ConfigException>(() => CnnFeatureRun.OpenRun(partial));
        Assert.Contains("trained only 1 of its 3 folds", e.Message, StringComparison.Ordinal);
        // One fold's model it does give, on other scans, and its probabilities go to ich evaluate as a predictions file.
        Assert.Contains("fold 1 is not one the run trained (0..0)",
            Assert.Throws<ConfigException>(() => CnnFeatureRun.OpenRun(partial, fold: 1)).Message, StringComparison.Ordinal);
        var other = TinyScans.Make(2, 2, seed: 78);
        var otherStore = Path.Combine(partial, "other-features");
        var meta = CnnFeatureRun.Write(partial, other, otherStore, tta: null, TorchRuntime.ResolveDevice("cpu"), null, default, fold: 0);
        Assert.Equal(1, meta.Folds);
        var file = Path.Combine(partial, "other.csv");
        Assert.Equal(meta.Rows, Ich.Application.Writers.CnnProbabilitiesFile.Write(otherStore, file));
        var written = Ich.Metrics.Evaluation.PredictionFile.Read(file);
        var otherProbs = FeatureStore.Open(otherStore).ReadProbs(0, (int)meta.Rows);
        Assert.Equal(meta.Rows, written.Count);
        for (var i = 0; i < written.Count; i++)
            for (var c = 0; c < 6; c++)
                Assert.Equal(otherProbs[i * 6 + c], (float)written[i].Probabilities[c]);
        Assert.Throws<ConfigException>(() => Ich.Application.Writers.CnnProbabilitiesFile.Write(otherStore, file)); // never replaced
        var seq = new Ich.Training.Sequence.SeqTrainConfig
        {
            Folds = 2, Epochs = 1, OofStores = new() { ["small"] = Path.Combine(partial, "features", "oof") }, Out = Path.Combine(partial, "seq"),
        };
        var s = Assert.Throws<ConfigException>(() => Ich.Training.Sequence.SeqRun.Run(seq));
        Assert.Contains("covers 1 of its 3 CNN folds", s.Message, StringComparison.Ordinal);
        Assert.Contains("trainFolds 4 must be 1..folds (3)", Assert.Throws<ConfigException>(() => (config with { TrainFolds = 4 }).Validate()).Message, StringComparison.Ordinal);
        Directory.Delete(full, true);
        Directory.Delete(partial, true);
    }

    [Fact]
    public void Run_SameSeedTwice_BitIdenticalWeights_AndResumeAfterCancelMatches()
    {
        var config = Tiny(epochs: 2) with { Folds = 2 };
        var a = RepoPaths.NewTempDir();
        var b = RepoPaths.NewTempDir();
        var c = RepoPaths.NewTempDir();
        Train(config, a);
        Train(config, b);
        foreach (var f in new[] { 0, 1 })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, $"fold{f}", "last.model")), File.ReadAllBytes(Path.Combine(b, $"fold{f}", "last.model")));

        // Interrupt in the middle of fold 0's second epoch, then resume: the final weights equal the uninterrupted run's.
        using var cts = new CancellationTokenSource();
        var interrupted = Train(config, c, cancel: cts.Token, progress: new SyncProgress<TrainProgress>(p =>
        {
            if (p is { Phase: TrainPhase.TrainEpoch, Fold: 0, Epoch: 2, Done: 1 }) cts.Cancel();
        }));
        Assert.False(interrupted.Completed);
        var resumed = Train(config, c, resume: true);
        Assert.True(resumed.Completed);
        foreach (var f in new[] { 0, 1 })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, $"fold{f}", "last.model")), File.ReadAllBytes(Path.Combine(c, $"fold{f}", "last.model")));
        foreach (var d in new[] { a, b, c }) Directory.Delete(d, true);
    }

    /// <summary>
    /// Intensity augmentation reaches training (the weights differ from the same run without it) and stays a pure function
    /// of the seed (two runs with it are bit-identical).
    /// </summary>
    [Fact]
    public void Run_IntensityAugment_ChangesTheTrainingInputs_Reproducibly()
    {
        var plain = Tiny();
        var intensity = plain with { Augment = plain.Augment with { Intensity = new IntensityAugmentConfig { P = 1, Contrast = 0.3, OffsetHu = 20, NoiseHu = 10, BlurPx = 1 } } };
        var dirs = new[] { RepoPaths.NewTempDir(), RepoPaths.NewTempDir(), RepoPaths.NewTempDir() };
        Train(plain, dirs[0]);
        Train(intensity, dirs[1]);
        Train(intensity, dirs[2]);
        byte[] Weights(string dir) => File.ReadAllBytes(Path.Combine(dir, "fold0", "last.model"));
        Assert.NotEqual(Weights(dirs[0]), Weights(dirs[1]));
        Assert.Equal(Weights(dirs[1]), Weights(dirs[2]));
        foreach (var d in dirs) Directory.Delete(d, true);
    }

    /// <summary>
    /// validateEvery only skips measurement: the weights, the kept epoch and the out-of-fold features are those of the run
    /// that validates every epoch, bit for bit; the skipped epochs' validation cells are empty and the epochs validated
    /// (every N-th and the last) record the same numbers.
    /// </summary>
    [Fact]
    public void Run_ValidateEvery_SkipsOnlyTheValidationPasses()
    {
        var every = Tiny(epochs: 3) with { Selection = EpochSelection.Last };
        var sparse = every with { ValidateEvery = 2 };
        var a = RepoPaths.NewTempDir();
        var b = RepoPaths.NewTempDir();
        Train(every, a);
        var validations = new SortedSet<(int Fold, int Epoch)>();
        Assert.True(Train(sparse, b, progress: new SyncProgress<TrainProgress>(p =>
        {
            if (p.Phase == TrainPhase.Validation) validations.Add((p.Fold!.Value, p.Epoch!.Value));
        })).Completed);

        Assert.Equal([(0, 2), (0, 3), (1, 2), (1, 3)], validations);
        foreach (var f in new[] { 0, 1 })
            foreach (var file in new[] { "best.model", "last.model" })
                Assert.Equal(File.ReadAllBytes(Path.Combine(a, $"fold{f}", file)), File.ReadAllBytes(Path.Combine(b, $"fold{f}", file)));
        Assert.Equal(FeatureStore.Open(Path.Combine(a, "features", "oof")).ReadProbs(0, 36), FeatureStore.Open(Path.Combine(b, "features", "oof")).ReadProbs(0, 36));

        // metrics.csv: same rows but for the seconds column and the validation cells of epoch 1.
        static string[][] Rows(string dir) => File.ReadLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => l.Split(',')[..^1]).ToArray();
        var (full, skipped) = (Rows(a), Rows(b));
        Assert.Equal(full.Length, skipped.Length);
        for (var r = 0; r < full.Length; r++)
        {
            Assert.Equal(full[r][..4], skipped[r][..4]);
            if (skipped[r][1] == "1") Assert.All(skipped[r][4..], cell => Assert.Equal("", cell));
            else Assert.Equal(full[r][4..], skipped[r][4..]);
        }
        Assert.Equal([2, 3, 2, 3], LearningCurves.Read(Path.Combine(b, "metrics.csv")).Where(c => !double.IsNaN(c.ValLoss)).Select(c => c.Epoch));
        Assert.True(File.Exists(Path.Combine(b, LearningCurves.FileName)));
        foreach (var d in new[] { a, b }) Directory.Delete(d, true);
    }

    [Fact]
    public void TrainsLike_OnlyValidateEveryMayDiffer()
    {
        var config = Tiny(epochs: 4) with { Selection = EpochSelection.Last };
        Assert.True(config.TrainsLike(config with { ValidateEvery = 4 }));
        Assert.False(config.TrainsLike(config with { Epochs = 5 }));
        Assert.False(config.TrainsLike(config with { Tta = 1 }));
    }

    [Theory]
    [InlineData("""{ "backbone": "small", "validateEvery": 2 }""", "selection")]
    [InlineData("""{ "backbone": "small", "validateEvery": 0, "selection": "last" }""", "validateEvery must be")]
    public void Load_BadValidateEvery_ThrowsConfigExceptionSayingWhy(string json, string expected)
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "cnn.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<ConfigException>(() => CnnTrainConfig.Load(path));
        Assert.Contains("validateEvery", ex.Message);
        Assert.Contains(expected, ex.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_MoreFoldsThanPatients_FailsBeforeTrainingWithEmptyFold()
    {
        var dir = RepoPaths.NewTempDir();
        var ex = Assert.Throws<ConfigException>(() =>
            new CnnTrainer(Tiny() with { Folds = 5 }, TinyScans.Make(3, 4), dir, TorchRuntime.ResolveDevice("cpu")).Run(false, default));
        Assert.Contains("fold would be empty", ex.Message);
        Assert.False(File.Exists(Path.Combine(dir, "config.json")));
    }

    [Fact]
    public void Run_InsertionHostDatasetNoScanHas_FailsBeforeTrainingNamingIt()
    {
        var dir = RepoPaths.NewTempDir();
        var config = Tiny() with { InsertBleeds = new BleedInsertionConfig { Probability = 0.3, HostDatasets = ["phantm"] } };
        var ex = Assert.Throws<ConfigException>(() =>
            new CnnTrainer(config, TinyScans.Make(4, 4), dir, TorchRuntime.ResolveDevice("cpu")).Run(false, default));
        Assert.Contains("'phantm'", ex.Message);
        Assert.Contains("present: tiny", ex.Message);
        Assert.False(File.Exists(Path.Combine(dir, "config.json")));

        var listed = Tiny() with { Datasets = [new DatasetSpec("phantom", "/p"), new DatasetSpec("physionet", "/q")], InsertBleeds = new BleedInsertionConfig { HostDatasets = ["physionet", "phantm"] } };
        Assert.Contains("'phantm' is not one of the training datasets (phantom, physionet)", Assert.Throws<ConfigException>(() => listed.Validate()).Message);
        (listed with { InsertBleeds = new BleedInsertionConfig { HostDatasets = ["phantom"] } }).Validate();
    }

    [Fact]
    public void Run_SliceWithoutLabels_FailsBeforeTraining()
    {
        var scans = TinyScans.Make(4, 4);
        var s = scans[1];
        var slices = s.Slices.ToList();
        slices[2] = slices[2] with { Labels = null };
        scans[1] = s with { Slices = slices };
        var ex = Assert.Throws<ConfigException>(() =>
            new CnnTrainer(Tiny(), scans, RepoPaths.NewTempDir(), TorchRuntime.ResolveDevice("cpu")).Run(false, default));
        Assert.Contains("scan01", ex.Message);
        Assert.Contains("no per-slice labels", ex.Message);
    }

    [Fact]
    public void Run_SliceIndicesNotIncreasing_FailsBeforeTraining()
    {
        var scans = TinyScans.Make(4, 4);
        var slices = scans[2].Slices.ToList();
        slices[3] = slices[3] with { Index = 1 };
        scans[2] = scans[2] with { Slices = slices };
        var ex = Assert.Throws<ConfigException>(() =>
            new CnnTrainer(Tiny(), scans, RepoPaths.NewTempDir(), TorchRuntime.ResolveDevice("cpu")).Run(false, default));
        Assert.Contains("scan02", ex.Message);
    }

    [Fact]
    public void Run_LabelledSliceWithMissingFile_FailsBeforeTrainingNamingFile()
    {
        var scans = TinyScans.Make(4, 4);
        var slices = scans[0].Slices.ToList();
        slices[0] = slices[0] with { SourcePath = "/nonexistent/ID_123.dcm" };
        scans[0] = scans[0] with { Slices = slices };
        var ex = Assert.Throws<ConfigException>(() =>
            new CnnTrainer(Tiny(), scans, RepoPaths.NewTempDir(), TorchRuntime.ResolveDevice("cpu")).Run(false, default));
        Assert.Contains("/nonexistent/ID_123.dcm", ex.Message);
    }

    [Fact]
    public void Cli_TrainCnnWithUnknownBackbone_ExitsWithConfigError()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "cnn.json");
        File.WriteAllText(path, """{ "backbone": "alexnet" }""");
        Assert.Equal(2, Ich.Cli.Program.Main(["train", "cnn", "--config", path, "--out", Path.Combine(dir, "run")]));
        Assert.False(Directory.Exists(Path.Combine(dir, "run")));
    }

    [Fact]
    public void Load_UnknownBackbone_ThrowsConfigException()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "cnn.json");
        File.WriteAllText(path, """{ "backbone": "vgg7", "epochs": 1 }""");
        var ex = Assert.Throws<ConfigException>(() => CnnTrainConfig.Load(path));
        Assert.Contains("unknown backbone 'vgg7'", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Load_MisspelledKey_ThrowsConfigException()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "cnn.json");
        File.WriteAllText(path, """{ "backbone": "small", "epoch": 3 }""");
        var ex = Assert.Throws<ConfigException>(() => CnnTrainConfig.Load(path));
        Assert.Contains("epoch", ex.Message);
    }

    [Fact]
    public void Load_ImagenetInitWithOtherBackbone_ThrowsConfigException()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "cnn.json");
        File.WriteAllText(path, """{ "backbone": "densenet121", "init": "imagenet" }""");
        Assert.Throws<ConfigException>(() => CnnTrainConfig.Load(path));
    }
}
