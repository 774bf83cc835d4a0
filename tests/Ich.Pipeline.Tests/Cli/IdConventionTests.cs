using Ich.Application.Writers;
using Ich.Core.Text;
using Ich.Inference.Pipeline;
using Ich.Pipeline.Tests.Predict;
using Ich.Synth;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// One ID convention, RSNA's <c>&lt;SOPInstanceUID&gt;_&lt;subtype&gt;</c>: what <c>ich synth</c> labels, <c>ich predict</c>
/// submits and <c>ich evaluate --format rsna</c> joins are the same IDs, so the project scores its own sample.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class IdConventionTests
{
    [Fact]
    public void SynthLabels_AndPredictSubmission_HaveTheSameIds()
    {
        var dir = RepoPaths.NewTempDir("ich-ids");
        var model = TinyModelFolder.Create();
        try
        {
            var phantoms = Path.Combine(dir, "phantoms");
            PhantomGenerator.Write(new SynthOptions { Seed = 42, Size = 128, ThicknessMm = 5 }, phantoms, 2);
            var outDir = Path.Combine(dir, "out");
            var summary = JobRun.Paths([phantoms], outDir, model, new PredictorOptions(8, GradCamMode.None));
            Assert.Equal((2, 0), (summary.Succeeded, summary.Failed));

            var labelIds = CsvTable.Read(Path.Combine(phantoms, "labels.csv")).Rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
            var submissionIds = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Submission)).Rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(labelIds.Count, submissionIds.Count);
            Assert.True(labelIds.SetEquals(submissionIds), $"label IDs differ from submission IDs, e.g. {labelIds.Except(submissionIds).FirstOrDefault()}");
            // The SOP Instance UID is written as is (a 2.25 UID, no ID_ prefix added).
            Assert.All(labelIds, id => Assert.StartsWith("2.25.", id, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(model, true);
        }
    }

    [Fact]
    public void EvaluateRsna_ScoresTheBundledSampleWithEverySliceMatched()
    {
        var sample = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var dir = RepoPaths.NewTempDir("ich-ids-eval");
        var model = TinyModelFolder.Create();
        try
        {
            var predicted = CliRun.Ich("predict", sample, "--out", Path.Combine(dir, "pred"), "--model", model, "--gradcam", "none");
            Assert.True(predicted.ExitCode == 0, predicted.ToString());
            var run = CliRun.Ich("evaluate", "--pred", Path.Combine(dir, "pred", "predictions.csv"), "--labels", Path.Combine(sample, "labels.csv"),
                "--format", "rsna", "--out", Path.Combine(dir, "eval"), "--bootstrap", "50");
            Assert.True(run.ExitCode == 0, run.ToString());
            using var metrics = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "eval", "metrics.json")));
            var join = metrics.RootElement.GetProperty("join");
            Assert.Equal(25, join.GetProperty("matched").GetInt32()); // the sample's 25 slices (samples/phantom-study/README.md)
            Assert.Equal(0, join.GetProperty("predictionsWithoutLabel").GetInt32());
            Assert.Equal(0, join.GetProperty("labelsWithoutPrediction").GetInt32());
        }
        finally
        {
            Directory.Delete(dir, true);
            Directory.Delete(model, true);
        }
    }

    [Fact]
    public void EvaluatePhantom_IsADeprecatedAliasWithAWarning()
    {
        var dir = Path.Combine(RepoPaths.Fixtures, "metrics", "e2e-phantom");
        var outDir = RepoPaths.NewTempDir("ich-ids-alias");
        try
        {
            var run = CliRun.Ich("evaluate", "--pred", Path.Combine(dir, "predictions.csv"), "--labels", Path.Combine(dir, "labels.csv"),
                "--format", "phantom", "--out", Path.Combine(outDir, "eval"), "--bootstrap", "50");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("deprecated", run.Stderr);
            Assert.Contains("--format rsna", run.Stderr);
        }
        finally
        {
            Directory.Delete(outDir, true);
        }
    }
}
