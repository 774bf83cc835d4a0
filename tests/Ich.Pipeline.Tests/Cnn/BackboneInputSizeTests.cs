using Ich.Core.Errors;
using Ich.Model.Cnn;
using Ich.TestKit;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>Every input side the factory accepts must run; every side it refuses must be refused before training.</summary>
public class BackboneInputSizeTests
{
    [Theory]
    [InlineData("resnet18-imagenet", 96)]
    [InlineData("resnet18-imagenet", 128)]
    [InlineData("resnet18-imagenet", 160)]
    [InlineData("resnet18-imagenet-l3", 80)]
    [InlineData("resnet18-imagenet-l3", 112)]
    [InlineData("small", 72)]
    [InlineData("resnet18", 100)]
    public void Forward_AcceptedSide_GivesSixLogitsAndFeatures(string backbone, int side)
    {
        Assert.Null(CnnFactory.ImageSizeProblem(backbone, side));
        using var model = CnnFactory.Create(backbone, 1);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (logits, features) = model.ForwardWithFeatures(rand(2, 3, side, side));
        Assert.Equal(new long[] { 2, 6 }, logits.shape);
        Assert.Equal(new long[] { 2, model.FeatureDim }, features.shape);
    }

    [Theory]
    [InlineData("resnet18-imagenet", 112, "divisible by 32")]
    [InlineData("resnet18-imagenet", 200, "divisible by 32")]
    [InlineData("resnet18-imagenet-l3", 120, "divisible by 16")]
    [InlineData("small", 16, "outside 32–1024")]
    [InlineData("alexnet", 224, "unknown backbone")]
    public void ImageSizeProblem_RefusedSide_NamesTheReason(string backbone, int side, string reason)
    {
        Assert.Contains(reason, CnnFactory.ImageSizeProblem(backbone, side));
    }

    [Fact]
    public void Config_ImageNetResNetAt112Pixels_FailsValidationBeforeAnyTensorWork()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "cnn.json");
        File.WriteAllText(path, """{ "backbone": "resnet18-imagenet", "init": "imagenet", "imageSize": 112 }""");
        var ex = Assert.Throws<ConfigException>(() => CnnTrainConfig.Load(path));
        Assert.Contains("divisible by 32", ex.Message);
        Assert.Contains("cnn.json", ex.Message);
        Directory.Delete(dir, true);
    }
}
