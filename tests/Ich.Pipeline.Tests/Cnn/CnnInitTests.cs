using Ich.Core.Errors;
using Ich.TestKit;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// <c>init</c> is typed in code (<see cref="CnnInit"/>) but stays one string in config files: existing configs
/// load unchanged and a config written back spells it as before (train-all compares configs by their JSON).
/// </summary>
public class CnnInitTests
{
    private static CnnTrainConfig Load(string json)
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "cnn.json");
        File.WriteAllText(path, json);
        return CnnTrainConfig.Load(path);
    }

    [Fact]
    public void Load_ScratchImagenetAndDefault_GiveTheirKindsAndWriteTheSameSpelling()
    {
        var scratch = Load("""{ "backbone": "small", "init": "scratch" }""");
        var imagenet = Load("""{ "backbone": "resnet18-imagenet", "init": "imagenet", "imageSize": 128 }""");
        var absent = Load("""{ "backbone": "small" }""");

        Assert.Equal(CnnInitKind.Scratch, scratch.Init.Kind);
        Assert.Equal(CnnInitKind.ImageNet, imagenet.Init.Kind);
        Assert.Equal(CnnInit.Scratch, absent.Init);
        Assert.Contains("\"init\": \"scratch\"", scratch.ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"init\": \"imagenet\"", imagenet.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WeightFilePath_KeepsThePathAndRoundTrips()
    {
        var weights = Path.Combine(RepoPaths.NewTempDir(), "start.model");
        File.WriteAllBytes(weights, [0]);
        var config = Load($$"""{ "backbone": "small", "init": "{{weights}}" }""");

        Assert.Equal(CnnInitKind.WeightsFile, config.Init.Kind);
        Assert.Equal(weights, config.Init.WeightsFile);
        var path = Path.Combine(RepoPaths.NewTempDir(), "again.json");
        File.WriteAllText(path, config.ToJson());
        var reloaded = CnnTrainConfig.Load(path);
        Assert.Equal(config.Init, reloaded.Init);
        Assert.Equal(config.ToJson(), reloaded.ToJson());
    }

    [Fact]
    public void Load_MissingWeightFileOrNonString_ConfigException()
    {
        var missing = Assert.Throws<ConfigException>(() => Load("""{ "backbone": "small", "init": "/no/such/weights.pth" }"""));
        Assert.Contains("init weights file '/no/such/weights.pth' not found", missing.Message, StringComparison.Ordinal);
        var number = Assert.Throws<ConfigException>(() => Load("""{ "backbone": "small", "init": 3 }"""));
        Assert.Contains("init must be a string", number.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IsTheInverseOfToString()
    {
        foreach (var init in new[] { CnnInit.Scratch, CnnInit.ImageNet, CnnInit.FromWeightsFile("runs/x/fold0/best.model") })
            Assert.Equal(init, CnnInit.Parse(init.ToString()));
    }
}
