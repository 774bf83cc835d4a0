using Ich.Core.Errors;
using Ich.Model.Cnn.Backbones;

namespace Ich.Model.Cnn;

/// <summary>Builds a backbone by name; the one list of the backbones this project knows.</summary>
public static class CnnFactory
{
    /// <summary>ImageNet ResNet18 imported from ONNX: input mean of its preprocessing graph on a 0–255 scale, per channel.</summary>
    private static readonly float[] ImageNetOnnxMean = [103.06262f / 255f, 115.902885f / 255f, 123.151634f / 255f];
    private static readonly float[] ImageNetOnnxStd = [1f / 255f, 1f / 255f, 1f / 255f];

    private static readonly Dictionary<string, Func<SliceCnn>> Builders = new(StringComparer.Ordinal)
    {
        ["small"] = () => new SmallCnn(),
        ["resnet18"] = () => new ResNet("resnet18", [2, 2, 2, 2], false, [0.456f, 0.456f, 0.456f], [0.224f, 0.224f, 0.224f]),
        ["resnet34"] = () => new ResNet("resnet34", [3, 4, 6, 3], false, [0.456f, 0.456f, 0.456f], [0.224f, 0.224f, 0.224f]),
        ["resnet18-imagenet"] = () => new ResNet("resnet18-imagenet", [2, 2, 2, 3], true, ImageNetOnnxMean, ImageNetOnnxStd),
        ["densenet121"] = () => new DenseNet("densenet121", [6, 12, 24, 16]),
        ["densenet169"] = () => new DenseNet("densenet169", [6, 12, 32, 32]),
        ["se_resnext101_32x4d"] = () => new SeResNeXt("se_resnext101_32x4d", [3, 4, 23, 3]),
    };

    /// <summary>Registered backbone names.</summary>
    public static IReadOnlyList<string> Names => Builders.Keys.ToList();

    /// <summary>
    /// A new backbone with fresh weights drawn from libtorch's generator after <c>manual_seed(seed)</c>,
    /// so the same seed gives the same initial weights. Unknown names are a <see cref="ConfigException"/>.
    /// </summary>
    public static SliceCnn Create(string backbone, long seed)
    {
        if (!Builders.TryGetValue(backbone, out var build))
            throw new ConfigException($"unknown backbone '{backbone}' (known: {string.Join(", ", Builders.Keys)})");
        Runtime.TorchRuntime.Initialize();
        TorchSharp.torch.manual_seed(seed);
        return build();
    }
}
