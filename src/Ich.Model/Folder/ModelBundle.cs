using Ich.Core.Errors;
using Ich.Model.Cnn;
using Ich.Model.Runtime;
using Ich.Model.Sequence;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Model.Folder;

/// <summary>A loaded model folder: every fold's CNN per backbone and every fold's sequence network per system, in eval mode.</summary>
public sealed class ModelBundle : IDisposable
{
    private ModelBundle(string folder, ModelManifest manifest, Dictionary<string, List<SliceCnn>> cnns, List<List<SliceSequenceNet>> systems, Device? device)
    {
        Device = device;
        Folder = folder;
        Manifest = manifest;
        Cnns = cnns;
        Systems = systems;
    }

    public string Folder { get; }
    /// <summary>Device the networks live on (null = CPU).</summary>
    public Device? Device { get; }
    public ModelManifest Manifest { get; }
    /// <summary>Backbone name → fold models (in eval mode; owned by this bundle).</summary>
    public IReadOnlyDictionary<string, List<SliceCnn>> Cnns { get; }
    /// <summary>Per sequence system (manifest order) → fold models (in eval mode; owned by this bundle).</summary>
    public IReadOnlyList<List<SliceSequenceNet>> Systems { get; }

    /// <summary>Loads and checks a model folder (no network access). Bad files are <see cref="ConfigException"/>s naming them.</summary>
    /// <param name="folder">The model folder.</param>
    /// <param name="device">Where the networks run; null or a CPU device = CPU.</param>
    public static ModelBundle Load(string folder, Device? device = null)
    {
        TorchRuntime.Initialize();
        // CPU is represented as "no device" throughout, so tensors are created without a device argument (the fast path).
        if (device?.type == DeviceType.CPU) device = null;
        var manifest = ModelManifest.Load(folder);
        var cnns = new Dictionary<string, List<SliceCnn>>();
        foreach (var b in manifest.Backbones)
        {
            var folds = new List<SliceCnn>();
            foreach (var file in b.Checkpoints)
            {
                var cnn = CnnFactory.Create(b.Architecture, seed: 0);
                if (cnn.FeatureDim != b.FeatureDim)
                    throw new ConfigException($"backbone {b.Name}: architecture {b.Architecture} has {cnn.FeatureDim} features, model.json says {b.FeatureDim}", folder);
                LoadWeights(cnn, Path.Combine(folder, file));
                if (device is not null) cnn.to(device);
                cnn.eval();
                folds.Add(cnn);
            }
            cnns[b.Name] = folds;
        }
        var systems = new List<List<SliceSequenceNet>>();
        foreach (var s in manifest.Sequence!.Systems)
        {
            var dims = s.Backbones.Select(n => manifest.Backbones.First(b => b.Name == n).FeatureDim).ToList();
            if (s.Network.FeatureSets != s.Backbones.Count || dims.Max() > s.Network.FeatureDim)
                throw new ConfigException($"sequence system {s.Name}: network takes {s.Network.FeatureSets} backbones of ≤ {s.Network.FeatureDim} features, " +
                                          $"the system lists {s.Backbones.Count} with dims {string.Join("/", dims)}", folder);
            var folds = new List<SliceSequenceNet>();
            foreach (var file in s.Checkpoints)
            {
                var net = new SliceSequenceNet(s.Network);
                StateFile.Load(net, Path.Combine(folder, file));
                if (device is not null) net.to(device);
                net.eval();
                folds.Add(net);
            }
            systems.Add(folds);
        }
        return new ModelBundle(folder, manifest, cnns, systems, device);
    }

    /// <summary><c>.state</c> files are <see cref="StateFile"/>s (float16 or float32); anything else is TorchSharp's own format.</summary>
    private static void LoadWeights(nn.Module module, string path)
    {
        if (path.EndsWith(".state", StringComparison.OrdinalIgnoreCase)) { StateFile.Load(module, path); return; }
        try { module.load(path); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        { throw new ConfigException($"cannot load checkpoint: {e.Message}", path); }
    }

    public void Dispose()
    {
        foreach (var m in Cnns.Values.SelectMany(x => x)) m.Dispose();
        foreach (var m in Systems.SelectMany(x => x)) m.Dispose();
    }
}
