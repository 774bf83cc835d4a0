using Ich.Pipeline.Tests.Predict;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// <c>ich predict</c> as a verb: option parsing and exit codes only (what it writes is tested on the
/// application layer, <see cref="PredictEndToEndTests"/>).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PredictCliTests
{
    private static readonly string Sample = Path.Combine(RepoPaths.Root, "samples", "phantom-study");

    [Fact]
    public void Predict_SampleStudy_ExitsZeroAndWritesTheOutputFolder()
    {
        var model = TinyModelFolder.Create();
        var outDir = Path.Combine(RepoPaths.NewTempDir("ich-predict-cli"), "out");
        try
        {
            var run = CliRun.Ich("predict", Sample, "--out", outDir, "--model", model, "--gradcam", "none", "--batch", "8");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(File.Exists(Path.Combine(outDir, "scans.csv")), run.ToString());
            Assert.True(File.Exists(Path.Combine(outDir, "report.html")), run.ToString());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(outDir)!, true);
            Directory.Delete(model, true);
        }
    }

    [Fact]
    public void Predict_BatchZero_IsAUsageErrorNamingTheOption()
    {
        var run = CliRun.Ich("predict", Sample, "--out", Path.Combine(Path.GetTempPath(), "never-written"), "--batch", "0");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--batch", run.Stderr);
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "never-written")));
    }

    [Fact]
    public void Predict_OutputIsAnExistingFile_IsAUsageErrorOnOneLine()
    {
        var model = TinyModelFolder.Create();
        var file = Path.Combine(RepoPaths.NewTempDir("ich-predict-cli"), "a-file.txt");
        File.WriteAllText(file, "keep me");
        try
        {
            var run = CliRun.Ich("predict", Sample, "--out", file, "--model", model);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains(file, run.Stderr);
            Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("keep me", File.ReadAllText(file));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, true);
            Directory.Delete(model, true);
        }
    }

    [Fact]
    public void Predict_ModelFolderMissing_IsAUsageError()
    {
        var outDir = Path.Combine(Path.GetTempPath(), $"ich-never-{Guid.NewGuid():N}");
        var run = CliRun.Ich("predict", Sample, "--out", outDir, "--model", "/no/such/model");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("/no/such/model", run.Stderr);
        Assert.False(Directory.Exists(outDir));
    }
}
