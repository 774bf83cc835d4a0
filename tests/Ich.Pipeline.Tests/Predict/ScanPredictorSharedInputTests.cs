using Ich.Inference.Pipeline;
using Ich.Model.Cnn;
using Ich.Model.Folder;
using Ich.Model.Sequence;
using Ich.Pipeline.Tests.Seq;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// Backbones that take the same input (side and framing) share one computed network input per batch; each backbone
/// must still get exactly its own input: the shared one when its side and framing match, its own otherwise.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public class ScanPredictorSharedInputTests
{
    [Fact]
    public void Predict_BackbonesWithSameAndOtherInputSide_EachCnnStageEqualsItsOwnDirectComputation()
    {
        var dir = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(dir);
        var first = manifest.Backbones.Single();
        var system = manifest.Sequence!.Systems.Single();
        // "twin": same side and framing as "small" but other weights (shares its input); "wide": another side (its own input).
        var twin = AddBackbone(dir, first, "twin", first.ImageSize, seed: 40);
        var wide = AddBackbone(dir, first, "wide", 96, seed: 50);
        (manifest with
        {
            Backbones = [first, twin, wide],
            Sequence = manifest.Sequence with
            {
                Systems = [system, system with { Name = "twin", Backbones = ["twin"] }, system with { Name = "wide", Backbones = ["wide"] }],
            },
        }).Save(dir);
        // 20 slices with the default batch of 16: the second batch checks that the shared input follows the batch.
        var scan = SyntheticScans.Dicom("S", 20);
        var hu = scan.Slices.Select(s => s.LoadHu()).ToArray();

        using var bundle = ModelBundle.Load(dir);
        var prediction = new ScanPredictor(bundle, new PredictorOptions(GradCam: GradCamMode.None)).Predict(scan);

        foreach (var backbone in new[] { first, twin, wide })
        {
            var expected = ProbabilityEnsemble.Average(DirectCnnOutputs.PerFold(dir, backbone, hu).Select(f => f.Probabilities).ToList());
            var actual = prediction.Stages.Single(s => s.Stage == PredictionStage.Cnn && s.Source == backbone.Name).Probabilities;
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"{backbone.Name} value {i}: expected {expected[i]}, got {actual[i]}");
        }
        // The three backbones really differ, so equal outputs cannot come from one backbone's input fed to all.
        var stages = new[] { first, twin, wide }.Select(b => prediction.Stages.Single(s => s.Stage == PredictionStage.Cnn && s.Source == b.Name).Probabilities).ToList();
        Assert.NotEqual(stages[0], stages[1]);
        Assert.NotEqual(stages[0], stages[2]);
        Directory.Delete(dir, true);
    }

    private static BackboneEntry AddBackbone(string dir, BackboneEntry template, string name, int size, int seed)
    {
        var files = new List<string>();
        Directory.CreateDirectory(Path.Combine(dir, "cnn", name));
        for (var k = 0; k < template.Checkpoints.Count; k++)
        {
            using var cnn = CnnFactory.Create(template.Architecture, seed + k);
            var rel = $"cnn/{name}/fold{k}.state";
            StateFile.Save(cnn, Path.Combine(dir, rel), half: true);
            files.Add(rel);
        }
        return template with { Name = name, ImageSize = size, Checkpoints = files };
    }
}
