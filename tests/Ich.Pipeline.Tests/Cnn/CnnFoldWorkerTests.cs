using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using Ich.Training.Cnn;
using TorchSharp;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The worker form of CNN training (<c>cnnWorkers</c>): <see cref="CnnTrainer.Setup"/> makes the run folder, each fold is
/// trained apart by <see cref="CnnTrainer.TrainOneFold"/> (in any order), and <see cref="CnnTrainer.Run"/> then only writes
/// the out-of-fold features — the same files a whole run writes. A fold records the thread count it started with and
/// resumes only with it.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class CnnFoldWorkerTests
{
    private static CnnTrainConfig Tiny() => new()
    {
        Backbone = "small", ImageSize = 48, BatchSize = 8, Epochs = 2, Folds = 2, Seed = 11, Tta = 1,
        Sampling = new SamplingConfig { Kind = "uniform", MaxPerEpoch = 16 },
    };

    private static CnnTrainer Trainer(CnnTrainConfig config, string dir) =>
        new(config, TinyScans.Make(6, 6), dir, TorchRuntime.ResolveDevice("cpu"));

    [Fact]
    public void TrainOneFold_EachFoldApartInReverseOrder_ThenRun_WritesWhatAWholeRunWrites()
    {
        var whole = RepoPaths.NewTempDir("ich-cnn-folds");
        var apart = RepoPaths.NewTempDir("ich-cnn-folds");
        try
        {
            Assert.True(Trainer(Tiny(), whole).Run(resume: false, CancellationToken.None).Completed);

            Assert.Equal([0, 1], Trainer(Tiny(), apart).Setup(resume: false));
            Assert.False(Directory.Exists(Path.Combine(apart, "fold0"))); // set up, nothing trained
            foreach (var fold in new[] { 1, 0 })
                Assert.Equal(fold, Trainer(Tiny(), apart).TrainOneFold(fold, CancellationToken.None)!.Fold);
            Assert.False(Directory.Exists(Path.Combine(apart, "features"))); // a fold worker writes no features
            Assert.Empty(Trainer(Tiny(), apart).Setup(resume: true));
            var finished = Trainer(Tiny(), apart).Run(resume: true, CancellationToken.None);

            Assert.True(finished.Completed);
            foreach (var fold in new[] { 0, 1 })
            {
                foreach (var file in new[] { "best.model", "last.model", "last.optim" })
                    Assert.Equal(File.ReadAllBytes(Path.Combine(whole, $"fold{fold}", file)), File.ReadAllBytes(Path.Combine(apart, $"fold{fold}", file)));
                Assert.Equal(torch.get_num_threads(), FoldState.Read(new RunFolder(apart).StatePath(fold))!.Threads);
            }
            var features = Path.Combine("features", "oof");
            var files = Directory.GetFiles(Path.Combine(whole, features)).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(files);
            Assert.Equal(files, Directory.GetFiles(Path.Combine(apart, features)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var file in files)
                Assert.Equal(File.ReadAllBytes(Path.Combine(whole, features, file!)), File.ReadAllBytes(Path.Combine(apart, features, file!)));
            // The same metrics rows, fold 1's first here (the last column is the epoch's wall time).
            static string[] Rows(string dir) => File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(l => l[..l.LastIndexOf(',')]).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(Rows(whole), Rows(apart));
        }
        finally
        {
            Directory.Delete(whole, true);
            Directory.Delete(apart, true);
        }
    }

    /// <summary>
    /// Fold workers redraw the run's learning curves at every epoch end; a worker must not fail because another holds the
    /// figure open while it writes it (what a CI run saw: "the process cannot access the file ... learning_curves.png").
    /// </summary>
    [Fact]
    public void LearningCurvesWrite_WhileAnotherWriterHoldsTheFigure_ReplacesItWholeWithoutFailing()
    {
        var dir = RunFolderWithOneEpoch();
        try
        {
            var figure = Path.Combine(dir, LearningCurves.FileName);
            File.WriteAllBytes(figure, [1, 2, 3]);
            using (new FileStream(figure, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                Assert.Equal(figure, LearningCurves.Write(dir, "test"));
            using (var png = SkiaSharp.SKBitmap.Decode(figure))
                Assert.Equal(Ich.Metrics.Reporting.LearningCurveFigure.Width, png.Width);
            Assert.Equal([figure], Directory.GetFiles(dir, LearningCurves.FileName + "*")); // no drawing left behind
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>When the drawn figure cannot be put in place (here a folder holds its name), the error reaches the caller
    /// and the worker's own drawing is deleted rather than left beside the run's files.</summary>
    [Fact]
    public void LearningCurvesWrite_WhenTheFigureCannotBePutInPlace_ThrowsAndLeavesNoDrawingBehind()
    {
        var dir = RunFolderWithOneEpoch();
        try
        {
            var figure = Path.Combine(dir, LearningCurves.FileName);
            Directory.CreateDirectory(figure);
            Assert.ThrowsAny<IOException>(() => LearningCurves.Write(dir, "test"));
            Assert.Empty(Directory.GetFiles(dir, LearningCurves.FileName + "*"));
            Assert.True(Directory.Exists(figure));
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>When the run folder is gone, the caller sees why the drawing failed (metrics.csv not found), not the clean-up's
    /// own complaint about the missing folder.</summary>
    [Fact]
    public void LearningCurvesWrite_WhenTheRunFolderIsGone_ReportsTheMissingMetricsNotTheCleanUp()
    {
        var dir = RepoPaths.NewTempDir("ich-cnn-folds");
        Directory.Delete(dir, true);
        var error = Assert.Throws<Ich.Core.Errors.DatasetFormatException>(() => LearningCurves.Write(dir, "test"));
        Assert.Equal(new RunFolder(dir).MetricsPath, error.Path);
        Assert.False(Directory.Exists(dir));
    }

    /// <summary>A temporary run folder whose metrics.csv holds one epoch of fold 0: enough to draw learning curves.</summary>
    private static string RunFolderWithOneEpoch()
    {
        var dir = RepoPaths.NewTempDir("ich-cnn-folds");
        File.WriteAllText(new RunFolder(dir).MetricsPath, RunFolder.MetricsHeader + "\n0,1,0.001,0.5,0.4,0.8,0.8,0.8,0.8,0.8,0.8,1.0\n");
        return dir;
    }

    [Fact]
    public void TrainOneFold_StartedWithAnotherThreadCount_OrOutOfRange_OrNoRunFolder_ConfigExceptionSayingWhy()
    {
        var dir = RepoPaths.NewTempDir("ich-cnn-folds");
        try
        {
            var noRun = Assert.Throws<ConfigException>(() => Trainer(Tiny(), dir).TrainOneFold(0, CancellationToken.None));
            Assert.Contains("nothing to resume", noRun.Message, StringComparison.Ordinal);

            Trainer(Tiny(), dir).Setup(resume: false);
            var range = Assert.Throws<ConfigException>(() => Trainer(Tiny(), dir).TrainOneFold(2, CancellationToken.None));
            Assert.Contains("fold 2: this run trains folds 0 to 1", range.Message, StringComparison.Ordinal);

            // Fold 0 interrupted after its first epoch by a process with one more thread than this one.
            var other = torch.get_num_threads() + 1;
            var run = new RunFolder(dir);
            Directory.CreateDirectory(run.FoldDir(0));
            new FoldState { Epoch = 1, Threads = other }.Write(run.StatePath(0));
            var mixed = Assert.Throws<ConfigException>(() => Trainer(Tiny(), dir).TrainOneFold(0, CancellationToken.None));
            Assert.Contains($"fold 0 was started with {other} libtorch threads and this process has {torch.get_num_threads()}", mixed.Message, StringComparison.Ordinal);
            Assert.Contains($"--threads {other}", mixed.Message, StringComparison.Ordinal);
            Assert.Equal(run.StatePath(0), mixed.Path);
            Assert.False(File.Exists(run.LastModel(0))); // refused before any training
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Cli_FoldWithoutResume_OrUnknownRun_ExitsWithConfigError()
    {
        var dir = RepoPaths.NewTempDir("ich-cnn-folds");
        try
        {
            var config = Path.Combine(dir, "cnn.json");
            File.WriteAllText(config, """{ "backbone": "small" }""");
            var withConfig = Cli.CliRun.Ich("train", "cnn", "--config", config, "--fold", "0");
            Assert.Equal(2, withConfig.ExitCode);
            Assert.Contains("--fold trains one fold of an existing run folder", withConfig.Stdout + withConfig.Stderr, StringComparison.Ordinal);

            var nowhere = Cli.CliRun.Ich("train", "cnn", "--resume", Path.Combine(dir, "nowhere"), "--fold", "0");
            Assert.Equal(2, nowhere.ExitCode);
            Assert.DoesNotContain("   at ", nowhere.Stdout + nowhere.Stderr, StringComparison.Ordinal); // no stack trace
        }
        finally { Directory.Delete(dir, true); }
    }
}
