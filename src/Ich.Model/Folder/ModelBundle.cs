using Ich.Core.Errors;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;
using Ich.Model.Runtime;
using Ich.Model.Sequence;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Model.Folder;

/// <summary>
/// A loaded model folder: every fold's CNN per backbone (with its segmentation decoder when the folder ships them) and
/// every fold's sequence network per system, in eval mode.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    private ModelBundle(string folder, ModelManifest manifest, Dictionary<string, List<SliceCnn>> cnns,
        Dictionary<string, List<SegmentationDecoder>> decoders, List<List<SliceSequenceNet>> systems, Device? device)
    {
        Decoders = decoders;
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
    /// <summary>
    /// Backbone name → fold decoders, parallel to <see cref="Cnns"/> (decoder k runs on fold k's feature map); an empty list
    /// when the backbone ships none. In eval mode; owned by this bundle.
    /// </summary>
    public IReadOnlyDictionary<string, List<SegmentationDecoder>> Decoders { get; }
    /// <summary>Whether any backbone has decoders, i.e. predictions can include a predicted mask.</summary>
    public bool HasDecoders => Decoders.Values.Any(d => d.Count > 0);
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
        var decoders = new Dictionary<string, List<SegmentationDecoder>>();
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
            decoders[b.Name] = b.HasDecoders ? LoadDecoders(folder, b, folds[0], device) : [];
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
        return new ModelBundle(folder, manifest, cnns, decoders, systems, device);
    }

    /// <summary>One decoder per fold, sized for the backbone's feature map (its channel count from one pass on zeros).</summary>
    private static List<SegmentationDecoder> LoadDecoders(string folder, BackboneEntry b, SliceCnn cnn, Device? device)
    {
        var channels = DecoderInput.FeatureMapChannels(cnn, b.ImageSize, device);
        var decoders = new List<SegmentationDecoder>();
        foreach (var file in b.Decoders!)
        {
            var decoder = new SegmentationDecoder(channels, seed: 0);
            decoders.Add(decoder);
            try { LoadWeights(decoder, Path.Combine(folder, file)); }
            catch
            {
                foreach (var d in decoders) d.Dispose();
                throw;
            }
            if (device is not null) decoder.to(device);
            decoder.eval();
        }
        return decoders;
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
        foreach (var m in Decoders.Values.SelectMany(x => x)) m.Dispose();
        foreach (var m in Systems.SelectMany(x => x)) m.Dispose();
    }
}
