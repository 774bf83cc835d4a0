using Ich.Core.Errors;
using Ich.Model.Cnn.Onnx;
using Ich.TestKit;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

public class ImageNetResNet18Tests
{
    // Per-channel means of the package's ResNetPreprocess.onnx mean image (0–255 scale); our backbone maps
    // [0, 1] input x to 255·x − mean, which is the ONNX graph's expected input.
    private static readonly float[] Mean = [103.06262f, 115.902885f, 123.151634f];

    [SkippableFact]
    public void Features_ImportedWeights_EqualOnnxRuntimeWithin1e4()
    {
        var onnx = ImageNetResNet18.FindInNuGetCache();
        Skip.If(onnx is null, "skipped: Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 not in the NuGet cache");
        const int size = 224; // the graph fixes its input at 224 × 224
        var x = new float[3 * size * size];
        for (var k = 0; k < x.Length; k++) x[k] = (float)(0.5 + 0.45 * Math.Sin(0.013 * k) * Math.Cos(0.0007 * k));

        float[] expected;
        using (var session = new InferenceSession(onnx!))
        {
            var input = new DenseTensor<float>([1, 3, size, size]);
            for (var k = 0; k < x.Length; k++) input.Buffer.Span[k] = 255f * x[k] - Mean[k / (size * size)];
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input)]);
            var output = results.Single().AsTensor<float>();
            Assert.Equal(new[] { 1, 512, 1, 1 }, output.Dimensions.ToArray());
            expected = output.ToArray();
        }

        using var model = ImageNetResNet18.Load(onnx!, seed: 3);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (_, features) = model.ForwardWithFeatures(tensor(x).reshape(1, 3, size, size));
        var actual = features.data<float>().ToArray();
        Assert.Equal(512, actual.Length);
        var maxDiff = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff <= 1e-4, $"max |ours − onnxruntime| = {maxDiff}");
        Assert.True(expected.Max() > 0.1, "features should not be all ~0");
    }

    [SkippableFact]
    public void Load_ThreeStageVariant_TakesTheFullModelsWeightsForItsStages()
    {
        var onnx = ImageNetResNet18.FindInNuGetCache();
        Skip.If(onnx is null, "skipped: Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 not in the NuGet cache");
        using var full = ImageNetResNet18.Load(onnx!, seed: 3);
        using var cut = ImageNetResNet18.Load(onnx!, seed: 3, ImageNetResNet18.BackboneThreeStages);

        Assert.Equal(256, cut.FeatureDim);
        var fullParams = full.state_dict();
        var cutParams = cut.state_dict();
        Assert.DoesNotContain(cutParams.Keys, k => k.StartsWith("layer4.", StringComparison.Ordinal));
        var compared = 0;
        foreach (var (name, value) in cutParams)
        {
            if (name.StartsWith("fc.", StringComparison.Ordinal) || name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) continue;
            Assert.True(value.equal(fullParams[name]).all().item<bool>(), $"{name} differs from the full import");
            compared++;
        }
        Assert.Equal(75, compared); // conv1/bn1 + 6 blocks × 2 conv/bn + 2 projections: 15 convs, 15 BNs × 4 tensors
    }

    [Fact]
    public void Load_NotOnnx_ThrowsModelInputException()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "bad.onnx");
        File.WriteAllBytes(path, [0x3A, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2]);
        var ex = Assert.Throws<ModelInputException>(() => ImageNetResNet18.Load(path, 1));
        Assert.Contains("bad.onnx", ex.Message);
        Directory.Delete(dir, true);
    }
}
