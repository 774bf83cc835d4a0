using System.Text;
using Ich.Application.Prediction;
using Ich.Application.Writers;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Inference.Pipeline;
using Ich.Model.Folder;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// A class whose operating point is null in model.json (issue 12: a subtype no threshold could flag at out-of-fold
/// specificity ≥ 0.90) is shown as a probability only: never flagged, no Grad-CAM overlay, and the SR states no
/// operating point and makes no present/absent claim for it — even when its probability is far above every other
/// class's threshold.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class UnflaggedClassTests
{
    private static readonly string[] Unflagged = ["epidural", "subdural"];

    [Fact]
    public void Predict_NullThreshold_NeverFlaggedNoSaliencyAndNoPresenceClaimInSr()
    {
        // Threshold 1e-6: every class with a threshold flags (and gets Grad-CAM maps) on this untrained model.
        var modelDir = TinyModelFolder.Create(threshold: 1e-6, unflagged: Unflagged);
        var outDir = RepoPaths.NewTempDir("ich-unflagged");
        var captured = new List<ScanResult>();
        var writers = new List<IPredictionOutputWriter>(PredictionOutputs.Standard(outDir))
        {
            new DicomResultsWriter(outDir, Ich.DicomResults.Input.CaptureMode.Keys),
            new CapturingWriter(captured),
        };
        var summary = new PredictionJob().Run(new PredictionRequest(modelDir, writers)
        {
            Paths = [Path.Combine(RepoPaths.Root, "samples", "phantom-study")],
            Options = new PredictorOptions(8, GradCamMode.Positive),
            OutputFolder = outDir,
        });

        Assert.Equal(0, summary.Failed);
        var p = Assert.Single(captured).Prediction!;
        var unflagged = Unflagged.Select(HemorrhageClasses.IndexOf).ToArray();
        foreach (var c in Enumerable.Range(0, HemorrhageClasses.Count))
        {
            Assert.True(p.ScanMax[c] > 1e-6, $"class {c}: probability {p.ScanMax[c]} should exceed the other classes' threshold");
            Assert.Equal(!unflagged.Contains(c), p.Flags[c]);
            Assert.Equal(!unflagged.Contains(c), p.Saliency.Any(m => m.ClassIndex == c));
        }

        // The SR: the unflagged classes' groups say "none", and only the flagged classes carry a present/absent code.
        var sr = Directory.GetFiles(Path.Combine(outDir, "dicom"), "sr.dcm", SearchOption.AllDirectories).Single();
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(sr));
        foreach (var name in Unflagged) Assert.Contains($"operating point {name}: none (probability only, never flagged)", text);
        Assert.Equal(HemorrhageClasses.Count - Unflagged.Length, Count(text, ": present when probability >= "));

        var scans = File.ReadAllText(Path.Combine(outDir, "scans.csv"));
        Assert.DoesNotContain("epidural;", scans);
        Assert.Contains("epidural not flagged (probability only)", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }

    [Fact]
    public void Manifest_NullAnyThresholdOrMissingClass_RefusedByName()
    {
        var modelDir = TinyModelFolder.Create(unflagged: ["any"]);
        var e = Assert.Throws<ConfigException>(() => ModelManifest.Load(modelDir));
        Assert.Contains("thresholds.any must be a number", e.Message);

        var path = Path.Combine(TinyModelFolder.Create(), ModelManifest.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"subdural\": 0.05", "\"subdurall\": 0.05"));
        var missing = Assert.Throws<ConfigException>(() => ModelManifest.Load(Path.GetDirectoryName(path)!));
        Assert.Contains("thresholds.subdural is missing", missing.Message);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
