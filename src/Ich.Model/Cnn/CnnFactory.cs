using Ich.Core.Errors;
using Ich.Model.Cnn.Backbones;

namespace Ich.Model.Cnn;

/// <summary>Builds a backbone by name; the one list of the backbones this project knows and of the input sides they accept.</summary>
public static class CnnFactory
{
    /// <summary>ImageNet ResNet18 imported from ONNX: input mean of its preprocessing graph on a 0–255 scale, per channel.</summary>
    private static readonly float[] ImageNetOnnxMean = [103.06262f / 255f, 115.902885f / 255f, 123.151634f / 255f];
    private static readonly float[] ImageNetOnnxStd = [1f / 255f, 1f / 255f, 1f / 255f];
    private static readonly float[] PaperMean = [0.456f, 0.456f, 0.456f];
    private static readonly float[] PaperStd = [0.224f, 0.224f, 0.224f];

    /// <param name="Build">Constructor of a fresh model.</param>
    /// <param name="SideMultiple">The input side must be a multiple of this (1 = any side).</param>
    private sealed record Entry(Func<SliceCnn> Build, int SideMultiple = 1);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["small"] = new(() => new SmallCnn()),
        ["resnet18"] = new(() => new ResNet("resnet18", [2, 2, 2, 2], false, PaperMean, PaperStd)),
        ["resnet34"] = new(() => new ResNet("resnet34", [3, 4, 6, 3], false, PaperMean, PaperStd)),
        // The CNTK graph pads stride-2 convolutions asymmetrically; its residual branches only line up when every
        // strided stage gets an even input, i.e. a side divisible by 2^(stages + 1).
        ["resnet18-imagenet"] = new(() => new ResNet("resnet18-imagenet", [2, 2, 2, 3], true, ImageNetOnnxMean, ImageNetOnnxStd), 32),
        // The same graph cut after its third stage (256-d features, a quarter of the weights): the CPU-sized
        // ImageNet member of the default model.
        ["resnet18-imagenet-l3"] = new(() => new ResNet("resnet18-imagenet-l3", [2, 2, 2], true, ImageNetOnnxMean, ImageNetOnnxStd), 16),
        ["densenet121"] = new(() => new DenseNet("densenet121", [6, 12, 24, 16])),
        ["densenet169"] = new(() => new DenseNet("densenet169", [6, 12, 32, 32])),
        ["se_resnext101_32x4d"] = new(() => new SeResNeXt("se_resnext101_32x4d", [3, 4, 23, 3])),
    };

    /// <summary>Smallest input side (pixels) any backbone accepts.</summary>
    public const int MinImageSize = 32;

    /// <summary>Largest input side (pixels) accepted.</summary>
    public const int MaxImageSize = 1024;

    /// <summary>Registered backbone names.</summary>
    public static IReadOnlyList<string> Names => Entries.Keys.ToList();

    /// <summary>
    /// Null when <paramref name="backbone"/> accepts square inputs of side <paramref name="imageSize"/> pixels,
    /// else the reason (unknown backbone, side out of range, side not a multiple the topology needs).
    /// </summary>
    public static string? ImageSizeProblem(string backbone, int imageSize)
    {
        if (!Entries.TryGetValue(backbone, out var entry))
            return $"unknown backbone '{backbone}' (known: {string.Join(", ", Entries.Keys)})";
        if (imageSize is < MinImageSize or > MaxImageSize)
            return $"imageSize {imageSize} outside {MinImageSize}–{MaxImageSize}";
        if (imageSize % entry.SideMultiple != 0)
            return $"backbone '{backbone}' needs an imageSize divisible by {entry.SideMultiple} (its asymmetric strided padding), got {imageSize}";
        return null;
    }

    /// <summary>
    /// A new backbone with fresh weights drawn from libtorch's generator after <c>manual_seed(seed)</c>,
    /// so the same seed gives the same initial weights. Unknown names are a <see cref="ConfigException"/>.
    /// </summary>
    public static SliceCnn Create(string backbone, long seed)
    {
        if (!Entries.TryGetValue(backbone, out var entry))
            throw new ConfigException($"unknown backbone '{backbone}' (known: {string.Join(", ", Entries.Keys)})");
        Runtime.TorchSeed.Set(seed);
        return entry.Build();
    }
}
