using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ich.Cli;
using Ich.Core;
using Ich.Core.Text;
using Ich.Pipeline.Tests.Cli;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// <c>ich predict --dicom --saliency-maps</c> on the bundled DICOM study: the SR's numbers are the run's own
/// (scans.csv), its references resolve to slices of the source study, every Grad-CAM map is a 16-bit PNG, and the
/// report links a study viewer of every slice. The SR is read back by Debian's pydicom, not by our reader.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PredictDicomAndViewerOutputTests
{
    [SkippableFact]
    public void Predict_WithDicomAndSaliencyMaps_SrEqualsScansCsv_MapsAndViewerWritten()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "skipped: /usr/bin/python3 (with python3-pydicom) not present");
        var study = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");

        var run = CliRun.Ich("predict", study, "--out", outDir, "--model", modelDir, "--gradcam", "all", "--dicom", "--saliency-maps");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var scans = CsvTable.Read(Path.Combine(outDir, "scans.csv"));
        var row = Assert.Single(scans.Rows);
        var studyUid = row[scans.Require("study_instance_uid")];
        var scanId = row[0];
        var predictions = CsvTable.Read(Path.Combine(outDir, "predictions.csv"));
        var sliceIds = predictions.Rows.Select(r => r[1]).ToHashSet(StringComparer.Ordinal);

        // The SR, read by pydicom: one group per class in class order, its probability the scan maximum of scans.csv.
        var sr = Path.Combine(outDir, "dicom", studyUid, "sr.dcm");
        Assert.True(File.Exists(sr), $"no SR at {sr}");
        using var doc = JsonDocument.Parse(Pydicom(sr));
        var groups = doc.RootElement.GetProperty("sr").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(HemorrhageClasses.Count, groups.Count);
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var csv = double.Parse(row[scans.Require("max_" + HemorrhageClasses.Names[c])], CultureInfo.InvariantCulture);
            Assert.Equal(csv, groups[c].GetProperty("probability").GetDouble(), 6); // scans.csv prints 6 decimals
            Assert.All(groups[c].GetProperty("inferred_from").EnumerateArray(),
                r => Assert.Contains(r.GetProperty("instance").GetString()!, sliceIds));
        }

        // Raw maps: --gradcam all gives every slice and class, each a 16-bit PNG named <slice_id>_<class>.png.
        var maps = Directory.GetFiles(Path.Combine(outDir, "saliency", scanId), "*.png");
        Assert.Equal(predictions.Rows.Count * HemorrhageClasses.Count, maps.Length);
        var png = File.ReadAllBytes(maps[0]);
        Assert.Equal(16, png[24]); // IHDR bit depth
        Assert.Equal(0, png[25]);  // colour type 0: grey

        // The viewer page of the scan, linked from the report.
        var viewer = Path.Combine(outDir, "viewer", scanId + ".html");
        Assert.Contains("data-ich-viewer", File.ReadAllText(viewer), StringComparison.Ordinal);
        Assert.Contains($"href=\"viewer/{scanId}.html\"", File.ReadAllText(Path.Combine(outDir, "report.html")), StringComparison.Ordinal);
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    private static string Pydicom(string file)
    {
        var info = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(RepoPaths.Root, "tools", "dicomresults", "inspect_results.py"), file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "pydicom did not finish in 60 s");
        Skip.If(stderr.Contains("No module named 'pydicom'", StringComparison.Ordinal), "skipped: Debian python3-pydicom not installed");
        Assert.True(process.ExitCode == 0, stderr);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0];
    }
}
