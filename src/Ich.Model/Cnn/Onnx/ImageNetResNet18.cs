using Ich.Core.Errors;
using Ich.Model.Cnn.Backbones;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Cnn.Onnx;

/// <summary>
/// ImageNet initialisation without a download: reads the ResNet18 ONNX graph shipped in the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 and copies its 22 convolutions and BatchNorms into the
/// <c>resnet18-imagenet</c> backbone (same topology: basic blocks 2, 2, 2, 3 — one more in the last stage than
/// torchvision's — and asymmetric CNTK padding). The graph is checked node by
/// node (kernel, stride, padding, weight shapes, BN epsilon); anything unexpected fails with a clear message.
/// The 6-class head stays freshly initialised. <c>resnet18-imagenet-l3</c> (cut after the third stage) takes the
/// weights of the stages it has; the graph is still checked in full.
/// </summary>
public static class ImageNetResNet18
{
    /// <summary>Backbone name of the imported model.</summary>
    public const string Backbone = "resnet18-imagenet";

    /// <summary>The imported model cut after its third stage.</summary>
    public const string BackboneThreeStages = "resnet18-imagenet-l3";

    /// <summary>Backbones that take the ONNX ImageNet weights.</summary>
    public static IReadOnlyList<string> Backbones { get; } = [Backbone, BackboneThreeStages];

    /// <summary>Basic blocks per stage of the CNTK ResNet18 graph.</summary>
    private static readonly int[] GraphBlocks = [2, 2, 2, 3];

    private const string PackageRelative = "microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>The ONNX file in the local NuGet cache ($NUGET_PACKAGES or ~/.nuget/packages), or null when absent.</summary>
    public static string? FindInNuGetCache()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, PackageRelative);
        return File.Exists(path) ? path : null;
    }

    /// <summary>A backbone of <see cref="Backbones"/> with the ONNX weights (head seeded by <paramref name="seed"/>).</summary>
    public static SliceCnn Load(string onnxPath, long seed, string backbone = Backbone)
    {
        if (!Backbones.Contains(backbone))
            throw new ConfigException($"ImageNet weights fit {string.Join(" or ", Backbones)}, not '{backbone}'");
        var model = CnnFactory.Create(backbone, seed);
        try { CopyWeights(OnnxGraph.Load(onnxPath), model, onnxPath); }
        catch { model.Dispose(); throw; }
        return model;
    }

    private static void CopyWeights(OnnxGraph graph, SliceCnn model, string path)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var convs = graph.Nodes.Where(n => n.OpType == "Conv").ToList();
        // The CNTK ResNet18 has 2, 2, 2 and 3 basic blocks (22 convolutions, 9 residual additions).
        if (convs.Count != 22 || graph.Nodes.Count(n => n.OpType == "Add") != 9)
            throw new ModelInputException($"expected the 22 convolutions and 9 additions of the CNTK ResNet18, found {convs.Count} convolutions", path);
        // Graph order lists the 3×3/7×7 convolutions in forward order and each 1×1 projection before its block.
        var mainNames = new List<string> { "conv1" };
        var projNames = new List<string>();
        for (var layer = 1; layer <= GraphBlocks.Length; layer++)
            for (var block = 0; block < GraphBlocks[layer - 1]; block++)
            {
                mainNames.Add($"layer{layer}.{block}.conv1");
                mainNames.Add($"layer{layer}.{block}.conv2");
                if (layer > 1 && block == 0) projNames.Add($"layer{layer}.0.downsample.0");
            }
        var main = convs.Where(c => !IsPointwise(c)).ToList();
        var proj = convs.Where(IsPointwise).ToList();
        if (main.Count != mainNames.Count || proj.Count != projNames.Count)
            throw new ModelInputException($"unexpected convolution layout ({main.Count} spatial, {proj.Count} pointwise)", path);

        using var _ = no_grad();
        // A truncated model lacks the later stages: their graph nodes are checked above but have no target.
        for (var i = 0; i < main.Count; i++)
            if (modules.ContainsKey(mainNames[i])) CopyConvBn(graph, main[i], mainNames[i], modules, path);
        for (var i = 0; i < proj.Count; i++)
            if (modules.ContainsKey(projNames[i])) CopyConvBn(graph, proj[i], projNames[i], modules, path);
    }

    private static bool IsPointwise(OnnxNode conv) => conv.IntAttributes.TryGetValue("kernel_shape", out var k) && k.All(v => v == 1);

    private static void CopyConvBn(OnnxGraph graph, OnnxNode conv, string convName, Dictionary<string, TorchSharp.torch.nn.Module> modules, string path)
    {
        var target = (Conv2d)modules[convName];
        var stride = (int)target.stride[0];
        var kernel = (int)target.weight!.shape[2];
        var expectedPads = kernel switch
        {
            7 => new long[] { 3, 3, 2, 2 },
            3 when stride == 2 => [1, 1, 0, 0],
            3 => [1, 1, 1, 1],
            _ => [0, 0, 0, 0],
        };
        Expect(conv, "strides", [stride, stride], path);
        Expect(conv, "pads", expectedPads, path);
        if (conv.IntAttributes.TryGetValue("group", out var g) && g[0] != 1)
            throw new ModelInputException($"{conv.Name}: grouped convolution not expected", path);
        Copy(graph, conv.Inputs[1], target.weight, conv.Name, path);

        var bnNode = graph.Nodes.SingleOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == conv.Outputs[0])
                     ?? throw new ModelInputException($"{conv.Name}: no BatchNormalization follows", path);
        if (bnNode.FloatAttributes.TryGetValue("epsilon", out var eps) && Math.Abs(eps - 1e-5f) > 1e-9f)
            throw new ModelInputException($"{bnNode.Name}: epsilon {eps}, expected 1e-5", path);
        var bnName = convName.EndsWith(".0", StringComparison.Ordinal) ? convName[..^1] + "1" : convName.Replace("conv", "bn");
        var bn = (BatchNorm2d)modules[bnName];
        Copy(graph, bnNode.Inputs[1], bn.weight!, bnNode.Name, path);
        Copy(graph, bnNode.Inputs[2], bn.bias!, bnNode.Name, path);
        Copy(graph, bnNode.Inputs[3], bn.running_mean!, bnNode.Name, path);
        Copy(graph, bnNode.Inputs[4], bn.running_var!, bnNode.Name, path);
    }

    private static void Expect(OnnxNode node, string attribute, long[] expected, string path)
    {
        if (!node.IntAttributes.TryGetValue(attribute, out var actual) || !actual.SequenceEqual(expected))
            throw new ModelInputException(
                $"{node.Name}: {attribute} [{string.Join(",", actual ?? [])}], expected [{string.Join(",", expected)}]", path);
    }

    private static void Copy(OnnxGraph graph, string initializer, Tensor target, string node, string path)
    {
        if (!graph.Initializers.TryGetValue(initializer, out var t))
            throw new ModelInputException($"{node}: initializer '{initializer}' missing", path);
        if (!t.Dims.SequenceEqual(target.shape))
            throw new ModelInputException(
                $"{node}: '{initializer}' has shape [{string.Join(",", t.Dims)}], model expects [{string.Join(",", target.shape)}]", path);
        using var src = tensor(t.Data).reshape(t.Dims);
        target.copy_(src);
    }
}
