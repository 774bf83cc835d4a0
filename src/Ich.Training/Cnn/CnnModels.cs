using Ich.Core.Errors;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Onnx;
using TorchSharp.PyBridge;

namespace Ich.Training.Cnn;

/// <summary>Creating a backbone with its configured initialisation, and loading trained checkpoints.</summary>
public static class CnnModels
{
    /// <summary>A fresh model for <paramref name="config"/>: scratch (seeded), ImageNet (ONNX import) or a weight file.</summary>
    public static SliceCnn Create(CnnTrainConfig config, long seed)
    {
        switch (config.Init.Kind)
        {
            case CnnInitKind.Scratch:
                return CnnFactory.Create(config.Backbone, seed);
            case CnnInitKind.ImageNet:
                var onnx = config.ImageNetOnnx ?? ImageNetResNet18.FindInNuGetCache()
                    ?? throw new ConfigException("init 'imagenet' needs the ResNet18.onnx of NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1: restore it or set imageNetOnnx");
                return ImageNetResNet18.Load(onnx, seed, config.Backbone);
            default:
                var model = CnnFactory.Create(config.Backbone, seed);
                try { LoadWeights(model, config.Init.WeightsFile!); }
                catch { model.Dispose(); throw; }
                return model;
        }
    }

    /// <summary>Loads a checkpoint written by training (<c>.model</c>, TorchSharp format) or a PyTorch state dict (<c>.pth</c>/<c>.pt</c>, strict).</summary>
    public static SliceCnn Load(string backbone, string path)
    {
        var model = CnnFactory.Create(backbone, 0);
        try { LoadWeights(model, path); }
        catch { model.Dispose(); throw; }
        return model;
    }

    private static void LoadWeights(SliceCnn model, string path)
    {
        if (!File.Exists(path)) throw new ModelInputException("weights file not found", path);
        try
        {
            if (path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
                model.load_py(path, strict: true);
            else
                model.load(path, strict: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or NotSupportedException)
        {
            throw new ModelInputException($"weights do not fit backbone '{model.Backbone}': {e.Message}", path);
        }
    }
}
