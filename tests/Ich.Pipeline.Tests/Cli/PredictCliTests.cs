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
    public void PredictJson_PrintsOneObjectPerScanMatchingScansCsv()
    {
        var model = TinyModelFolder.Create();
        var outDir = Path.Combine(RepoPaths.NewTempDir("ich-predict-cli"), "out");
        try
        {
            var run = CliRun.Ich("predict", Sample, "/no/such/input", "--out", outDir, "--model", model, "--gradcam", "none", "--json");
            Assert.True(run.ExitCode == 1, run.ToString()); // the missing input failed, the sample was predicted
            var lines = run.JsonLines();
            Assert.Equal(2, lines.Count);
            var scans = Ich.Core.Text.CsvTable.Read(Path.Combine(outDir, "scans.csv"));
            var row = scans.Rows[0];
            var ok = lines[0];
            Assert.Equal(row[scans.Require("scan_id")], ok.GetProperty("scan_id").GetString());
            Assert.Equal("ok", ok.GetProperty("status").GetString());
            Assert.Equal(25, ok.GetProperty("slices").GetInt32());
            Assert.Equal(row[scans.Require("study_instance_uid")], ok.GetProperty("study_instance_uid").GetString());
            Assert.Equal(row[scans.Require("series_instance_uid")], ok.GetProperty("series_instance_uid").GetString());
            Assert.Equal("tiny-untrained-test-model", ok.GetProperty("model_name").GetString());
            foreach (var name in Ich.Core.HemorrhageClasses.Names)
            {
                Assert.Equal(double.Parse(row[scans.Require("max_" + name)], System.Globalization.CultureInfo.InvariantCulture),
                    ok.GetProperty("max").GetProperty(name).GetDouble(), 5);
                Assert.Equal(row[scans.Require("flagged_classes")].Split(';').Contains(name), ok.GetProperty("flags").GetProperty(name).GetBoolean());
            }
            Assert.Equal(row[scans.Require("triage")] == "1", ok.GetProperty("triage").GetBoolean());
            var failed = lines[1];
            Assert.Equal("failed", failed.GetProperty("status").GetString());
            Assert.Contains("not found", failed.GetProperty("error").GetString());
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
