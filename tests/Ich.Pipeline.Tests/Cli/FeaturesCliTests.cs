using Ich.Cli;
using Ich.Model.Runtime;
using Ich.TestKit;
using Ich.Pipeline.Tests.Cnn;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// <c>ich features --fold K --predictions FILE</c>: one fold's CNN on other phantoms, its probabilities scored by
/// <c>ich evaluate</c> as a screen does; an existing predictions file is refused before any work and left as it was.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class FeaturesCliTests
{
    [Fact]
    public void FeaturesOfOneFold_WritesPredictionsThatEvaluateScores_AndNeverReplacesAFile()
    {
        var dir = RepoPaths.NewTempDir("ich-features-cli");
        try
        {
            var phantoms = Path.Combine(dir, "phantoms");
            Assert.Equal(ExitCodes.Success, CliRun.Ich("synth", "--out", phantoms, "--scans", "2", "--seed", "21", "--size", "64", "--thickness", "5").ExitCode);
            var run = Path.Combine(dir, "run");
            var config = new CnnTrainConfig { Backbone = "small", ImageSize = 32, BatchSize = 8, Epochs = 1, Folds = 3, TrainFolds = 1, Seed = 3, Tta = 1 };
            Assert.True(new CnnTrainer(config, TinyScans.Make(6, 4), run, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default).Completed);

            var predictions = Path.Combine(dir, "fold0.csv");
            var features = CliRun.Ich("features", "--run", run, "--fold", "0", "--dataset", $"phantom={phantoms}", "--out", Path.Combine(dir, "store"), "--predictions", predictions);
            Assert.True(features.ExitCode == ExitCodes.Success, features.ToString());
            Assert.Contains("1 fold model(s)", features.Stdout, StringComparison.Ordinal);
            var lines = File.ReadAllLines(predictions);
            Assert.Equal("scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural", lines[0]);
            var evaluate = CliRun.Ich("evaluate", "--pred", predictions, "--labels", Path.Combine(phantoms, "labels.csv"), "--format", "rsna", "--out", Path.Combine(dir, "eval"));
            Assert.True(evaluate.ExitCode == ExitCodes.Success, evaluate.ToString());
            Assert.Contains($"slice: n={lines.Length - 1},", evaluate.Stdout, StringComparison.Ordinal);

            // A second call naming the same file is refused before the CNN runs (no second store appears); the file is kept.
            var before = File.ReadAllBytes(predictions);
            var again = CliRun.Ich("features", "--run", run, "--fold", "0", "--dataset", $"phantom={phantoms}", "--out", Path.Combine(dir, "store2"), "--predictions", predictions);
            Assert.Equal(ExitCodes.UsageError, again.ExitCode);
            Assert.Contains("the predictions file exists already", Flat(again), StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(dir, "store2")));
            Assert.Equal(before, File.ReadAllBytes(predictions));
            // A fold the run did not train is named.
            var fold2 = CliRun.Ich("features", "--run", run, "--fold", "2", "--dataset", $"phantom={phantoms}", "--out", Path.Combine(dir, "store3"));
            Assert.Equal(ExitCodes.UsageError, fold2.ExitCode);
            Assert.Contains("fold 2 is not one the run trained (0..0)", Flat(fold2), StringComparison.Ordinal);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>The run's output as one line (the console wraps long messages).</summary>
    private static string Flat(CliResult run) => string.Join(' ', (run.Stdout + " " + run.Stderr).Split(['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
}
