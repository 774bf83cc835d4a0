using System.Text.Json;
using Ich.Application.Prediction;
using Ich.Application.TrainAll;
using Ich.Application.Writers;
using Ich.Core.Errors;
using Ich.Inference.Pipeline;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;
using Ich.Model.Folder;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// The segmentation decoders of a model folder (model.json <c>decoders</c>, issue 12 item 2): the predicted mask is a
/// second explanation beside Grad-CAM — computed for exactly the slices that get Grad-CAM maps, a blood probability per
/// pixel of the slice — while a folder without decoders predicts exactly as before.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class PredictedMaskTests
{
    private static string Study => Path.Combine(RepoPaths.Root, "samples", "phantom-study");

    [Fact]
    public void Predict_ModelWithDecoders_MasksExactlyForTheGradCamSlices_InUnitRange_AtSliceSize_AndInTheReport()
    {
        // Every class flags on this untrained model; one Grad-CAM slice per class keeps the explained slices a strict subset.
        var modelDir = TinyModelFolder.Create(threshold: 1e-6, unflagged: ["epidural"], decoders: true);
        var outDir = RepoPaths.NewTempDir("ich-mask");
        var (p, _) = Run(modelDir, outDir, new PredictorOptions(8, GradCamMode.Positive, MaxGradCamSlicesPerClass: 1));

        var gradCamSlices = p.Saliency.Select(m => m.SliceIndex).Distinct().Order().ToArray();
        Assert.NotEmpty(gradCamSlices);
        Assert.True(gradCamSlices.Length < p.Scan.Slices.Count, "the test needs slices without Grad-CAM maps");
        Assert.Equal(gradCamSlices, p.PredictedMasks.Keys.Order().ToArray());
        foreach (var (slice, mask) in p.PredictedMasks)
        {
            var hu = p.SaliencySlices[slice];
            Assert.Equal(slice, mask.SliceIndex);
            Assert.Equal((hu.Width, hu.Height), (mask.Width, mask.Height));
            Assert.Equal(hu.Width * hu.Height, mask.Values.Length);
            Assert.All(mask.Values, v => Assert.InRange(v, 0f, 1f));
            Assert.Contains(mask.Values, v => v > 0f); // a sigmoid is positive everywhere inside the centre crop
        }

        // Report: one predicted-mask figure per explained slice among the top slices, labelled apart from Grad-CAM.
        var html = File.ReadAllText(Path.Combine(outDir, HtmlReportWriter.FileName));
        var top = Enumerable.Range(0, p.Scan.Slices.Count).OrderByDescending(i => p.Probabilities[i * 6]).ThenBy(i => i).Take(5).ToHashSet();
        var expectedFigures = gradCamSlices.Count(top.Contains);
        Assert.True(expectedFigures > 0, "the test needs an explained slice among the top slices");
        Assert.Equal(expectedFigures, Count(html, "alt=\"predicted mask overlay\" src=\"data:image/png;base64,"));
        Assert.Equal(expectedFigures, Count(html, "<figcaption>predicted mask (segmentation head): slice "));
        Assert.Contains("<figcaption>Grad-CAM: slice ", html);
        foreach (var slice in gradCamSlices)
        {
            var png = Directory.GetFiles(Path.Combine(outDir, OverlayWriter.Folder), $"slice{slice:D3}_predicted_mask.png", SearchOption.AllDirectories);
            Assert.Single(png);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png[0]).Take(4).ToArray());
        }
        // Viewer page: the mask layer is available and carries a mask for exactly the explained slices.
        var (available, viewerMasks) = ViewerMasks(outDir);
        Assert.True(available);
        Assert.Equal(gradCamSlices, viewerMasks);
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    [Fact]
    public void Predict_SameWeightsWithoutDecoders_NoMasksAndBitIdenticalOutputs()
    {
        var with = TinyModelFolder.Create(threshold: 0.05, decoders: true);
        var without = TinyModelFolder.Create(threshold: 0.05);
        Assert.DoesNotContain("\"decoders\"", File.ReadAllText(Path.Combine(without, ModelManifest.FileName)));
        Assert.Contains("\"decoders\"", File.ReadAllText(Path.Combine(with, ModelManifest.FileName)));
        var options = new PredictorOptions(8, GradCamMode.Positive);
        var (a, _) = Run(with, RepoPaths.NewTempDir("ich-mask"), options);
        var outB = RepoPaths.NewTempDir("ich-mask");
        var (b, _) = Run(without, outB, options);

        Assert.NotEmpty(a.PredictedMasks);
        Assert.Empty(b.PredictedMasks);
        // The viewer of the folder without decoders offers no mask layer (the page says why) and stores no mask.
        Assert.Equal((false, Array.Empty<int>()), ViewerMasks(outB));
        Assert.Equal(b.Probabilities, a.Probabilities);
        Assert.Equal(b.Stages.Select(s => s.Probabilities), a.Stages.Select(s => s.Probabilities));
        Assert.Equal(b.Saliency.Select(m => (m.SliceIndex, m.ClassIndex)), a.Saliency.Select(m => (m.SliceIndex, m.ClassIndex)));
        for (var i = 0; i < a.Saliency.Count; i++) Assert.Equal(b.Saliency[i].Values, a.Saliency[i].Values);
        Directory.Delete(with, true);
        Directory.Delete(without, true);
    }

    [Fact]
    public void Manifest_DecoderCountMismatchOrMissingFile_RefusedByName()
    {
        var dir = TinyModelFolder.Create(decoders: true);
        var path = Path.Combine(dir, ModelManifest.FileName);
        var json = File.ReadAllText(path);
        File.WriteAllText(path, json.Replace("\"cnn/small/fold1.decoder.state\"", "").Replace("\"cnn/small/fold0.decoder.state\",", "\"cnn/small/fold0.decoder.state\""));
        var mismatch = Assert.Throws<ConfigException>(() => ModelManifest.Load(dir));
        Assert.Contains("backbone small: 1 decoders for 2 checkpoints", mismatch.Message);

        File.WriteAllText(path, json);
        File.Delete(Path.Combine(dir, "cnn/small/fold1.decoder.state"));
        var missing = Assert.Throws<ConfigException>(() => ModelManifest.Load(dir));
        Assert.Contains("decoder 'cnn/small/fold1.decoder.state' missing", missing.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Write_TrainedDecoderFiles_ShipsThemAsHalfStateFilesThatLoad()
    {
        var source = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(source);
        var runDir = RepoPaths.NewTempDir("ich-cnnrun");
        var trained = WriteTrainedDecoders(runDir, outChannels: 1);
        var target = RepoPaths.NewTempDir("ich-model");
        ModelFolderWriter.Write(target, manifest, [new BackboneSource(manifest.Backbones[0] with { Checkpoints = [] },
            [() => CnnFactory.Create("small", 1), () => CnnFactory.Create("small", 2)], trained)], manifest.Sequence!, source, half: true);

        var loaded = ModelManifest.Load(target);
        Assert.Equal(["cnn/small/fold0.decoder.state", "cnn/small/fold1.decoder.state"], loaded.Backbones[0].Decoders);
        using var bundle = ModelBundle.Load(target);
        Assert.True(bundle.HasDecoders);
        Assert.Equal(2, bundle.Decoders["small"].Count);
        Directory.Delete(target, true);
        Directory.Delete(runDir, true);
        Directory.Delete(source, true);
    }

    [Fact]
    public void Write_SubtypeDecoders_ShipTheirBloodChannelOnly_WhichDrawsExactlyWhatTheTrainedChannelZeroDrew()
    {
        var source = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(source);
        var runDir = RepoPaths.NewTempDir("ich-cnnrun");
        var trained = WriteTrainedDecoders(runDir, outChannels: 6);
        var target = RepoPaths.NewTempDir("ich-model");
        var backbone = new BackboneSource(manifest.Backbones[0] with { Checkpoints = [] },
            [() => CnnFactory.Create("small", 1), () => CnnFactory.Create("small", 2)], trained);
        // Read as one-channel decoders, six-channel checkpoints do not fit: the channel count must be given.
        Assert.Throws<ConfigException>(() => ModelFolderWriter.Write(target, manifest, [backbone], manifest.Sequence!, source, half: false));
        ModelFolderWriter.Write(target, manifest, [backbone with { DecoderChannels = 6 }], manifest.Sequence!, source, half: false);

        using var bundle = ModelBundle.Load(target);
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var reference = CnnFactory.Create("small", 1);
        using var six = new SegmentationDecoder(DecoderInput.FeatureMapChannels(reference, 64), seed: 0, outChannels: 6);
        six.load(trained[0], strict: true);
        reference.eval();
        six.eval();
        var featureMap = reference.FeatureMap(TorchSharp.torch.rand([2, 3, 64, 64], generator: new TorchSharp.torch.Generator(7)));
        var shipped = bundle.Decoders["small"][0];
        Assert.Equal(1, shipped.OutChannels);
        var expected = six.call(featureMap).narrow(1, SegmentationDecoder.BloodChannel, 1);
        Assert.True(TorchSharp.torch.allclose(expected, shipped.call(featureMap), rtol: 0, atol: 1e-6), "the shipped decoder differs from the trained blood channel");
        Directory.Delete(target, true);
        Directory.Delete(runDir, true);
        Directory.Delete(source, true);
    }

    /// <summary>Two folds' untrained decoders for the tiny model's backbone, saved as CnnTrainer saves them (TorchSharp format, fold&lt;k&gt;/best.decoder).</summary>
    private static List<string> WriteTrainedDecoders(string runDir, int outChannels)
    {
        var files = new List<string>();
        for (var k = 0; k < 2; k++)
        {
            using var cnn = CnnFactory.Create("small", 1 + k);
            using var decoder = new SegmentationDecoder(DecoderInput.FeatureMapChannels(cnn, 64), seed: 5 + k, outChannels);
            Directory.CreateDirectory(Path.Combine(runDir, $"fold{k}"));
            files.Add(Path.Combine(runDir, $"fold{k}", "best.decoder"));
            decoder.save(files[^1]);
        }
        return files;
    }

    [Fact]
    public void Packager_DecodersForSomeShippedFoldsOnly_IsAnErrorNamingTheMissingFile()
    {
        var run = RepoPaths.NewTempDir("ich-cnnrun");
        var checkpoints = Enumerable.Range(0, 3).Select(k => Path.Combine(run, $"fold{k}", "best.model")).ToList();
        foreach (var c in checkpoints) Directory.CreateDirectory(Path.GetDirectoryName(c)!);
        Assert.Null(ModelPackager.ShippedDecoders("small", checkpoints));

        File.WriteAllText(Path.Combine(run, "fold0", "best.decoder"), "x");
        File.WriteAllText(Path.Combine(run, "fold2", "best.decoder"), "x");
        var e = Assert.Throws<ConfigException>(() => ModelPackager.ShippedDecoders("small", checkpoints));
        Assert.Contains(Path.Combine(run, "fold1", "best.decoder"), e.Message);
        Assert.Contains("2 of 3", e.Message);

        File.WriteAllText(Path.Combine(run, "fold1", "best.decoder"), "x");
        Assert.Equal(checkpoints.Select(c => Path.Combine(Path.GetDirectoryName(c)!, "best.decoder")), ModelPackager.ShippedDecoders("small", checkpoints));
        Directory.Delete(run, true);
    }

    [Fact]
    public void DefaultModel_ShipsADecoderPerFold_AndDrawsMasksForItsGradCamSlices()
    {
        var dir = Path.Combine(RepoPaths.Root, "models", "default");
        var manifest = ModelManifest.Load(dir);
        Assert.All(manifest.Backbones, b => Assert.Equal(b.Checkpoints.Count, b.Decoders?.Count));
        using (var bundle = ModelBundle.Load(dir)) Assert.True(bundle.HasDecoders);

        var (p, summary) = Run(dir, RepoPaths.NewTempDir("ich-mask-default"), new PredictorOptions(8, GradCamMode.Positive));
        Assert.Equal(0, summary.Failed);
        Assert.NotEmpty(p.PredictedMasks); // the bundled sample is flagged, so some slices have Grad-CAM maps
        Assert.Equal(p.SaliencySlices.Keys.Order(), p.PredictedMasks.Keys.Order());
        Assert.All(p.PredictedMasks.Values, m => Assert.All(m.Values, v => Assert.InRange(v, 0f, 1f)));
    }

    private static (ScanPrediction Prediction, PredictionSummary Summary) Run(string modelDir, string outDir, PredictorOptions options)
    {
        var captured = new List<ScanResult>();
        var writers = new List<IPredictionOutputWriter>(PredictionOutputs.Standard(outDir)) { new CapturingWriter(captured) };
        var summary = new PredictionJob().Run(new PredictionRequest(modelDir, writers)
        {
            Paths = [Study],
            Options = options,
            OutputFolder = outDir,
        });
        Assert.Equal(0, summary.Failed);
        return (Assert.Single(captured).Prediction!, summary);
    }

    /// <summary>From the one viewer page in <paramref name="outDir"/>: whether its mask layer is available, and the slices that carry a mask.</summary>
    private static (bool Available, int[] Slices) ViewerMasks(string outDir)
    {
        var page = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(outDir, ViewerWriter.Folder), "*.html")));
        const string open = "<script type=\"application/json\" id=\"ich-viewer-data\">";
        var start = page.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var json = page[start..page.IndexOf("</script>", start, StringComparison.Ordinal)];
        using var doc = JsonDocument.Parse(json);
        var available = doc.RootElement.GetProperty("predictedMask").GetProperty("available").GetBoolean();
        var slices = doc.RootElement.GetProperty("slices").EnumerateArray()
            .Select((s, i) => (i, s.GetProperty("mask").ValueKind)).Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.i).ToArray();
        return (available, slices);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
