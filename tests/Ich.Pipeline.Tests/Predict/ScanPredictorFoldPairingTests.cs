using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Model.Cnn;
using Ich.Model.Sequence;
using Ich.Pipeline.Tests.Seq;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// The sequence networks learned from out-of-fold features, each made by ONE CNN fold model; inference must give
/// them one fold's features at a time (and average the results), never the mean of several folds' features.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public class ScanPredictorFoldPairingTests
{
    [Fact]
    public void Predict_TwoCnnFolds_SequenceRunsOnEachFoldsOwnFeaturesAndAverages()
    {
        var dir = TinyModelFolder.Create();
        var manifest = ModelManifest.Load(dir);
        var backbone = manifest.Backbones.Single();
        var system = manifest.Sequence!.Systems.Single();
        var scan = SyntheticScans.Dicom("F", 7);
        AmplifyFeatureInput(dir, system);

        // Independent composition from the checkpoints: CNN fold k → (probabilities, features) → sequence folds.
        var hu = scan.Slices.Select(s => s.LoadHu()).ToArray();
        var positions = scan.Slices.Select(s => s.ZMm).ToArray();
        var perFold = DirectCnnOutputs.PerFold(dir, backbone, hu)
            .Select(f => new SequenceScanData([f.Features], [f.Probabilities], positions)).ToList();
        var nets = system.Checkpoints.Select(file =>
        {
            var net = new SliceSequenceNet(system.Network);
            StateFile.Load(net, Path.Combine(dir, file));
            return net;
        }).ToList();
        var expected = ProbabilityEnsemble.Average(perFold.Select(d => SequencePredictor.Predict(nets, [d])[0].Stage2).ToList());
        var meanFeatures = new SequenceScanData(
            [ProbabilityEnsemble.Average(perFold.Select(d => d.Features[0]).ToList())],
            [ProbabilityEnsemble.Average(perFold.Select(d => d.Probabilities[0]).ToList())], positions);
        var fromMeanFeatures = SequencePredictor.Predict(nets, [meanFeatures])[0].Stage2;
        foreach (var n in nets) n.Dispose();

        using var bundle = ModelBundle.Load(dir);
        var prediction = new ScanPredictor(bundle, new PredictorOptions(GradCam: GradCamMode.None)).Predict(scan);
        var actual = prediction.Stages.Single(s => s.Stage == PredictionStage.SeqModel2 && s.Source == system.Name).Probabilities;

        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5f));
        // The two compositions really differ for these fold models, so the check above can tell them apart.
        var gap = expected.Zip(fromMeanFeatures).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(gap > 1e-4f, $"gap {gap}");
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Predict_EnsembleMembers_TheAnswerIsTheMeanOfTheOutputsModelJsonNames()
    {
        var dir = TinyModelFolder.Create();
        var scan = SyntheticScans.Dicom("E", 6);
        float[] Answer(out ScanPrediction prediction)
        {
            using var bundle = ModelBundle.Load(dir);
            prediction = new ScanPredictor(bundle, new PredictorOptions(GradCam: GradCamMode.None)).Predict(scan);
            return prediction.Probabilities;
        }
        float[] Stage(ScanPrediction p, PredictionStage stage) => p.Stages.Single(s => s.Stage == stage && s.Source == "small").Probabilities;

        var released = Answer(out var p2);                       // no ensemble section: every system's SeqModel2
        Assert.Equal(Stage(p2, PredictionStage.SeqModel2), released);

        var manifest = ModelManifest.Load(dir);
        (manifest with { Ensemble = new EnsembleManifest { Members = [new("small", SequenceOutput.SeqModel1)] } }).Save(dir);
        var seq1 = Answer(out var p1);
        Assert.Equal(Stage(p1, PredictionStage.SeqModel1), seq1);
        Assert.NotEqual(released, seq1);

        (manifest with { Ensemble = new EnsembleManifest { Members = [new("small", SequenceOutput.SeqModel1), new("small", SequenceOutput.SeqModel2)] } }).Save(dir);
        var both = Answer(out _);
        Assert.All(both.Select((v, i) => (v, i)), x => Assert.Equal((seq1[x.i] + released[x.i]) / 2, x.v, 1e-6f));
        Directory.Delete(dir, true);
    }

    /// <summary>
    /// Untrained small CNNs give tiny features, to which untrained sequence networks barely react; scaling the first
    /// feature layer makes the feature path matter, so that averaging features would visibly change the output.
    /// </summary>
    private static void AmplifyFeatureInput(string dir, SequenceSystemEntry system)
    {
        foreach (var file in system.Checkpoints)
        {
            using var net = new SliceSequenceNet(system.Network);
            var path = Path.Combine(dir, file);
            StateFile.Load(net, path);
            using (no_grad())
                net.named_parameters().Single(p => p.name == "stage1.conv1.weight").parameter.mul_(20000);
            StateFile.Save(net, path, half: true);
        }
    }
}
