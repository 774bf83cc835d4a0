using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Model.Cnn;
using Ich.Pipeline.Tests.Predict;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// Train/serve skew: the same slice must reach the network as the same tensor whether it comes through the
/// training loader (<see cref="SliceTable"/> byte cache → <see cref="Augmenter.Stack"/> → validation centre
/// crop, i.e. the augmenter-off path used for validation and OOF features) or through prediction
/// (<see cref="ScanPredictor"/>, whose input builder is <see cref="CnnInputs.ForEvaluation"/>). Tolerance:
/// none, bit for bit — both paths quantise to 1/255 and run the same bilinear crop, so any difference is a
/// real divergence (different window, resize, quantisation or crop).
/// </summary>
public class TrainServeSkewTests
{
    [Fact]
    public void TrainingLoaderInput_EqualsPredictionInput_BitForBit()
    {
        const int size = 64;
        const double crop = 0.8;
        var scan = TinyScans.Make(1, 5, size: 80, seed: 9)[0];
        var table = new SliceTable([scan], size);
        var idx = Enumerable.Range(0, scan.Slices.Count).ToArray();
        using var scope = NewDisposeScope();
        var train = Augmenter.CenterCrop(Augmenter.Stack(table, idx, CPU), crop).contiguous().data<float>().ToArray();
        var images = scan.Slices.Select(s => NetworkInput.FromHu(s.LoadHu(), size)).ToList();
        var serve = CnnInputs.ForEvaluation(images, size, crop).contiguous().data<float>().ToArray();
        Assert.Equal(train.Length, serve.Length);
        var differing = Enumerable.Range(0, train.Length).Count(i => BitConverter.SingleToInt32Bits(train[i]) != BitConverter.SingleToInt32Bits(serve[i]));
        Assert.Equal(0, differing);
        // The crop really happened and the input is not trivially constant.
        Assert.True(train.Distinct().Count() > 50);
    }

    /// <summary>
    /// End to end through <see cref="ScanPredictor"/> (the code <c>ich predict</c> runs): its CNN stage output for a
    /// scan equals the fold models applied to the training loader's tensor, averaged as the ensemble does.
    /// Equal probabilities from the same weights mean equal inputs (to the precision a sigmoid keeps).
    /// </summary>
    [Fact]
    public void ScanPredictorCnnStage_EqualsFoldModelsOnTrainingLoaderInput()
    {
        var folder = TinyModelFolder.Create();
        var scan = TinyScans.Make(1, 6, size: 72, seed: 21)[0];
        using var bundle = ModelBundle.Load(folder);
        var backbone = bundle.Manifest.Backbones[0];
        var predicted = new ScanPredictor(bundle, new PredictorOptions(16, GradCamMode.None)).Predict(scan);
        var cnnStage = predicted.Stages.Single(s => s.Stage == PredictionStage.Cnn && s.Source == backbone.Name).Probabilities;

        var expected = FoldModelsOnTrainingLoader(folder, backbone, new SliceTable([scan], backbone.ImageSize));
        Assert.Equal(expected.Length, cnnStage.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], cnnStage[i]);
        Assert.True(expected.Distinct().Count() > 6, "the untrained model's outputs should vary across slices and classes");
    }

    /// <summary>
    /// The same with head framing, on heads off centre in a larger field (so the frame really crops): the training
    /// loader's per-scan frame (<see cref="SliceTable.Frame"/>) and prediction's (<see cref="HeadFrame.For"/> over the
    /// scan's slices) give the same tensor, bit for bit.
    /// </summary>
    [Fact]
    public void HeadFraming_TrainingLoaderInput_EqualsPredictionInput_BitForBit()
    {
        const int size = 64;
        const double crop = 0.8;
        var scan = TinyScans.OffCentre(1, 5, size: 60, field: 120, x: 50, y: 8, seed: 9)[0];
        var table = new SliceTable([scan], size, InputFraming.Head);
        var idx = Enumerable.Range(0, scan.Slices.Count).ToArray();
        using var scope = NewDisposeScope();
        var train = Augmenter.CenterCrop(Augmenter.Stack(table, idx, CPU), crop).contiguous().data<float>().ToArray();
        var hu = scan.Slices.Select(s => s.LoadHu()).ToList();
        var frame = HeadFrame.For(InputFraming.Head, hu);
        Assert.Equal(HeadFrameKind.Head, frame.Kind);
        Assert.Equal(frame, table.Frame(0));
        Assert.InRange(frame.Side, 55, 70); // the 54 px skull × 1.06, not the 120 px field
        var serve = CnnInputs.ForEvaluation(hu.Select(h => NetworkInput.FromHu(h, size, frame)).ToList(), size, crop).contiguous().data<float>().ToArray();
        var differing = Enumerable.Range(0, train.Length).Count(i => BitConverter.SingleToInt32Bits(train[i]) != BitConverter.SingleToInt32Bits(serve[i]));
        Assert.Equal(0, differing);
        // And framing changed the input: the field-of-view input of the same slices differs.
        var field = CnnInputs.ForEvaluation(hu.Select(h => NetworkInput.FromHu(h, size)).ToList(), size, crop).contiguous().data<float>().ToArray();
        Assert.True(Enumerable.Range(0, field.Length).Count(i => Math.Abs(field[i] - serve[i]) > 0.1f) > field.Length / 10);
    }

    /// <summary>End to end with a model whose backbone declares <c>framing: head</c>.</summary>
    [Fact]
    public void HeadFraming_ScanPredictorCnnStage_EqualsFoldModelsOnTrainingLoaderInput()
    {
        var folder = TinyModelFolder.Create(framing: InputFraming.Head);
        var scan = TinyScans.OffCentre(1, 6, size: 48, field: 100, x: 8, y: 40, seed: 21)[0];
        using var bundle = ModelBundle.Load(folder);
        var backbone = bundle.Manifest.Backbones[0];
        Assert.Equal(InputFraming.Head, backbone.Framing);
        var predicted = new ScanPredictor(bundle, new PredictorOptions(16, GradCamMode.None)).Predict(scan);
        var cnnStage = predicted.Stages.Single(s => s.Stage == PredictionStage.Cnn && s.Source == backbone.Name).Probabilities;

        var expected = FoldModelsOnTrainingLoader(folder, backbone, new SliceTable([scan], backbone.ImageSize, InputFraming.Head));
        Assert.Equal(expected.Length, cnnStage.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], cnnStage[i]);
        // The model really saw the framed input: on the field input the same weights answer differently.
        var field = FoldModelsOnTrainingLoader(folder, backbone, new SliceTable([scan], backbone.ImageSize));
        Assert.Contains(Enumerable.Range(0, field.Length), i => Math.Abs(field[i] - cnnStage[i]) > 1e-4f);
    }

    /// <summary>
    /// With slabs: a thin series (1 mm slices, so a 5 mm slab takes up to 5) reaches the network as the same tensor through
    /// the training loader and through <see cref="ScanPredictor"/> with a model whose backbone declares <c>slabMm</c>,
    /// and that input really is the slab (the slice-by-slice input differs), with head framing as the default model has.
    /// </summary>
    [Fact]
    public void Slabs_ScanPredictorCnnStage_EqualsFoldModelsOnTrainingLoaderInput()
    {
        var folder = TinyModelFolder.Create(framing: InputFraming.Head, slabMm: 5);
        var scan = Thin(TinyScans.OffCentre(1, 9, size: 48, field: 100, x: 8, y: 40, seed: 23)[0], 1.0);
        using var bundle = ModelBundle.Load(folder);
        var backbone = bundle.Manifest.Backbones[0];
        Assert.Equal(5, backbone.SlabMm);
        var predicted = new ScanPredictor(bundle, new PredictorOptions(16, GradCamMode.None)).Predict(scan);
        var cnnStage = predicted.Stages.Single(s => s.Stage == PredictionStage.Cnn && s.Source == backbone.Name).Probabilities;
        Assert.Contains(predicted.Notes, n => n.StartsWith("thin slices read as 5 mm slabs (up to 5 slices averaged per slice)", StringComparison.Ordinal));

        var expected = FoldModelsOnTrainingLoader(folder, backbone, new SliceTable([scan], backbone.ImageSize, InputFraming.Head, slabMm: 5));
        Assert.Equal(expected.Length, cnnStage.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], cnnStage[i]);
        var slices = FoldModelsOnTrainingLoader(folder, backbone, new SliceTable([scan], backbone.ImageSize, InputFraming.Head));
        Assert.Contains(Enumerable.Range(0, slices.Length), i => Math.Abs(slices[i] - cnnStage[i]) > 1e-4f);
    }

    /// <summary>The training loader's slab grid is the mean of its members' own grids.</summary>
    [Fact]
    public void Slabs_TrainingLoaderGrid_IsTheMeanOfTheSlabsSliceGrids()
    {
        var scan = Thin(TinyScans.Make(1, 7, size: 40, seed: 5)[0], 0.625);
        var slab = new SliceTable([scan], 32, slabMm: 5);
        var plain = new SliceTable([scan], 32);
        var middle = slab.Hu(3);
        var expected = new float[middle.Length];
        for (var j = 0; j < 7; j++) // 0.625 mm slices: a 5 mm slab holds ±3 neighbours, all seven here
            for (var p = 0; p < expected.Length; p++) expected[p] += plain.Hu(j)[p];
        Assert.All(Enumerable.Range(0, expected.Length), p => Assert.InRange(middle[p] - expected[p] / 7, -1e-3f, 1e-3f)); // float sums near −1000 HU
        Assert.NotEqual(plain.Hu(3), middle);
    }

    /// <summary>Bleeds are inserted into the slab at the slice's own resolution (the host a thin slice gives the inserter).</summary>
    [Fact]
    public void Slabs_InsertionHost_IsTheSlabMeanOfTheSlicesThemselves()
    {
        var scan = Thin(TinyScans.Make(1, 6, size: 40, seed: 7)[0], 1.25);
        var host = new SliceTable([scan], 32, slabMm: 5).SliceHu(2);
        var expected = new[] { 1, 2, 3 }.Select(j => scan.Slices[j].LoadHu().Pixels).ToList(); // 1.25 mm: one neighbour each side
        Assert.All(Enumerable.Range(0, host.Pixels.Length), p => Assert.InRange(host.Pixels[p] - expected.Average(e => e[p]), -1e-3, 1e-3));
        Assert.Equal(scan.Slices[2].LoadHu().Pixels, new SliceTable([scan], 32).SliceHu(2).Pixels);
    }

    /// <summary>The scan with its slices <paramref name="thicknessMm"/> thick and as far apart.</summary>
    private static ScanRecord Thin(ScanRecord scan, double thicknessMm) => scan with
    {
        SliceThicknessMm = thicknessMm,
        Slices = scan.Slices.Select(s => s with { ZMm = s.Index * thicknessMm }).ToList(),
    };

    /// <summary>Each fold checkpoint of the model folder on the training loader's (centre-cropped) tensor of every slice, averaged as the ensemble does.</summary>
    private static float[] FoldModelsOnTrainingLoader(string folder, BackboneEntry backbone, SliceTable table)
    {
        var idx = Enumerable.Range(0, table.Slices.Count).ToArray();
        var perFold = new List<float[]>();
        foreach (var file in backbone.Checkpoints)
        {
            using var cnn = CnnFactory.Create(backbone.Architecture, seed: 0);
            Ich.Model.Sequence.StateFile.Load(cnn, Path.Combine(folder, file));
            cnn.eval();
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            perFold.Add(cnn.call(Augmenter.CenterCrop(Augmenter.Stack(table, idx, CPU), backbone.CenterCrop)).sigmoid().data<float>().ToArray());
        }
        return Ich.Model.Sequence.ProbabilityEnsemble.Average(perFold);
    }
}
