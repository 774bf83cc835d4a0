using Ich.Cli;
using Ich.Core.Text;
using Ich.Dicom.Series;
using Ich.Pipeline.Tests.Cli;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// A partly damaged study is still triaged: a real 32-slice RSNA series with instances cut short inside their
/// pixel data is predicted on its readable slices, the others are reported in scans.csv; past the rule
/// (docs/predict.md) the scan fails with the reason.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PredictDamagedStudyTests
{
    private static string DamagedCopy(params int[] cutSlices)
    {
        var folder = RepoPaths.RequireShared("realdata/headct/rsna2019_okotaku_stage2_series");
        var dir = RepoPaths.NewTempDir("ich-damaged");
        foreach (var f in Directory.GetFiles(folder, "*.dcm")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var slices = Assert.Single(Assert.Single(SeriesAssembler.Assemble([dir]).Studies).Series).Slices;
        foreach (var i in cutSlices)
        {
            var bytes = File.ReadAllBytes(slices[i].Header.Path);
            File.WriteAllBytes(slices[i].Header.Path, bytes[..^5000]);
        }
        return dir;
    }

    private static Dictionary<string, string> OnlyScanRow(string outDir)
    {
        var scans = CsvTable.Read(Path.Combine(outDir, "scans.csv"));
        var row = Assert.Single(scans.Rows);
        return scans.Header.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => row[p.i]);
    }

    [SkippableFact]
    public void Predict_ThreeOf32SlicesTruncated_PredictsThe29AndReportsTheThree()
    {
        var input = DamagedCopy(5, 15, 25);
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");

        var run = CliRun.Ich("predict", input, "--out", outDir, "--model", modelDir, "--gradcam", "none");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var scan = OnlyScanRow(outDir);
        Assert.Equal("ok", scan["status"]);
        Assert.Equal("29", scan["slices"]);
        Assert.Contains("3 of 32 slices unreadable and left out", scan["notes"], StringComparison.Ordinal);
        var predictions = CsvTable.Read(Path.Combine(outDir, "predictions.csv"));
        Assert.Equal(29, predictions.Rows.Count);
        Directory.Delete(input, true);
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    [SkippableFact]
    public void Predict_EightOf32SlicesTruncated_FailsTheScanWithTheReason()
    {
        var input = DamagedCopy(2, 6, 10, 14, 18, 22, 26, 30);
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");

        var run = CliRun.Ich("predict", input, "--out", outDir, "--model", modelDir, "--gradcam", "none");

        Assert.True(run.ExitCode == ExitCodes.SomeItemsFailed, run.ToString());
        var scan = OnlyScanRow(outDir);
        Assert.Equal("failed", scan["status"]);
        Assert.Contains("8 of 32 slices have unreadable pixel data, more than 20", scan["error"], StringComparison.Ordinal);
        Directory.Delete(input, true);
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }
}
