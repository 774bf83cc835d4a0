using System.Globalization;
using Ich.Cli;
using Ich.Core;
using Ich.Core.Text;
using Ich.Model.Folder;
using Ich.Pipeline.Tests.Cli;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// <c>ich predict --stages</c>: every slice has one row per intermediate output (each backbone's CNN, each system's
/// SeqModel1 and SeqModel2), and the model's answer in predictions.csv is the mean of the outputs its ensemble names.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PredictStagesOutputTests
{
    [Fact]
    public void Predict_WithStages_WritesEveryOutputPerSlice_AndTheAnswerIsTheMeanOfTheEnsembleMembers()
    {
        var study = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict-stages");

        var run = CliRun.Ich("predict", study, "--out", outDir, "--model", modelDir, "--gradcam", "none", "--stages");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var manifest = ModelManifest.Load(modelDir);
        var expectedOutputs = manifest.Backbones.Select(b => "cnn:" + b.Name)
            .Concat(manifest.Sequence!.Systems.SelectMany(s => new[] { "seq1:" + s.Name, "seq2:" + s.Name })).Order(StringComparer.Ordinal).ToList();
        var predictions = CsvTable.Read(Path.Combine(outDir, "predictions.csv"));
        var stages = CsvTable.Read(Path.Combine(outDir, "stages.csv"));
        Assert.Equal(predictions.Rows.Count * expectedOutputs.Count, stages.Rows.Count);
        var bySlice = stages.Rows.GroupBy(r => r[stages.Require("slice_id")], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var members = manifest.EnsembleMembers().Select(m => (m.Output == SequenceOutput.SeqModel1 ? "seq1:" : "seq2:") + m.System).ToList();
        foreach (var row in predictions.Rows)
        {
            var rows = bySlice[row[predictions.Require("slice_id")]];
            Assert.Equal(expectedOutputs, rows.Select(r => r[stages.Require("output")]).Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal(row[predictions.Require("slice_index")], r[stages.Require("slice_index")]));
            foreach (var name in HemorrhageClasses.Names)
            {
                var mean = members.Average(m => Parse(rows.Single(r => r[stages.Require("output")] == m)[stages.Require(name)]));
                Assert.Equal(Parse(row[predictions.Require(name)]), mean, 5); // both files print 6 decimals
            }
        }
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    private static double Parse(string cell) => double.Parse(cell, CultureInfo.InvariantCulture);
}
