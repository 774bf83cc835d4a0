using Ich.Core;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;
using Ich.Model.Sequence;

namespace Ich.Model.Folder;

/// <summary>
/// A CNN backbone to package: its model.json entry (checkpoints and decoders are filled in), a loader per fold and,
/// optionally, each fold's trained segmentation decoder (TorchSharp <c>best.decoder</c> files, one per fold, or null for none).
/// </summary>
/// <param name="Entry">The backbone's model.json entry (checkpoints and decoders are filled in).</param>
/// <param name="Folds">The fold CNNs to ship.</param>
/// <param name="DecoderFiles">Each fold's trained decoder (TorchSharp format), or null for none.</param>
/// <param name="DecoderChannels">The trained decoders' output channels: 1, or 6 when trained per subtype (only the blood channel is shipped).</param>
public sealed record BackboneSource(BackboneEntry Entry, IReadOnlyList<Func<SliceCnn>> Folds, IReadOnlyList<string>? DecoderFiles = null, int DecoderChannels = 1);

/// <summary>
/// Writes a model folder (docs/predict.md): every fold's CNN as a <see cref="StateFile"/> (float16 when
/// asked) under <c>cnn/&lt;backbone&gt;/</c> with its segmentation decoder beside it when given
/// (<c>fold&lt;k&gt;.decoder.state</c>, same precision), the sequence checkpoints copied under <c>seq/&lt;system&gt;/</c>,
/// and <c>model.json</c>; then loads it back once to prove it is complete.
/// </summary>
public static class ModelFolderWriter
{
    /// <param name="folder">Target folder (created; an existing model.json is replaced).</param>
    /// <param name="template">Name, version, intended use and operating point (backbones and sequence are filled in).</param>
    /// <param name="backbones">CNNs to package.</param>
    /// <param name="sequence">Sequence systems as trained (checkpoint paths relative to <paramref name="sequenceFolder"/>).</param>
    /// <param name="sequenceFolder">Folder the sequence checkpoint paths are relative to.</param>
    /// <param name="half">Store CNN weights as float16.</param>
    /// <param name="records">Optional plain files (relative path with '/' → text) that document the model, written into the folder with it.</param>
    /// <returns>Total size of the folder in bytes.</returns>
    public static long Write(string folder, ModelManifest template, IReadOnlyList<BackboneSource> backbones, SequenceManifest sequence,
        string sequenceFolder, bool half, IReadOnlyDictionary<string, string>? records = null)
    {
        // Build the new folder beside the old one and swap only once it loads: a failed write leaves the old model
        // intact, and no checkpoint of an earlier model (a backbone or fold no longer listed) survives in the new one.
        folder = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        RequireReplaceable(folder);
        var staging = $"{folder}.staging-{Guid.NewGuid():N}";
        try
        {
            var bytes = WriteInto(staging, template, backbones, sequence, sequenceFolder, half, records);
            if (Directory.Exists(folder))
            {
                var old = $"{folder}.old-{Guid.NewGuid():N}";
                Directory.Move(folder, old);
                try { Directory.Move(staging, folder); }
                catch
                {
                    Directory.Move(old, folder); // put the previous model back
                    throw;
                }
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(staging, folder);
            return bytes;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>An existing target must be empty or a model folder (model.json present): anything else is not ours to replace.</summary>
    private static void RequireReplaceable(string folder)
    {
        if (!Directory.Exists(folder) || !Directory.EnumerateFileSystemEntries(folder).Any()) return;
        if (!File.Exists(Path.Combine(folder, ModelManifest.FileName)))
            throw new Ich.Core.Errors.ConfigException("the model output folder exists and is not a model folder (no model.json); refusing to replace it", folder);
    }

    /// <summary>A decoder as training saved it (TorchSharp format, strict: every weight must fit the backbone's feature map).</summary>
    private static void LoadTrainedDecoder(SegmentationDecoder decoder, string path)
    {
        if (!File.Exists(path)) throw new Ich.Core.Errors.ConfigException("decoder checkpoint missing", path);
        try { decoder.load(path, strict: true); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        { throw new Ich.Core.Errors.ConfigException($"cannot load decoder checkpoint: {e.Message}", path); }
    }

    private static long WriteInto(string folder, ModelManifest template, IReadOnlyList<BackboneSource> backbones, SequenceManifest sequence,
        string sequenceFolder, bool half, IReadOnlyDictionary<string, string>? records)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, text) in records ?? new Dictionary<string, string>())
        {
            // Names are built by code, partly from dataset names; still, a record must stay inside the folder and clear
            // of the files the loader reads.
            var segments = name.Split('/');
            if (segments.Any(seg => Path.GetFileName(seg) != seg || seg is "" or "." or "..") || name == ModelManifest.FileName
                || segments[0] is "cnn" or "seq")
                throw new ArgumentException($"'{name}' is not a record path (plain names separated by '/', outside cnn/ and seq/)", nameof(records));
            var path = Path.Combine([folder, .. segments]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        var entries = new List<BackboneEntry>();
        foreach (var b in backbones)
        {
            if (b.DecoderFiles is { } given && given.Count != b.Folds.Count)
                throw new Ich.Core.Errors.ConfigException($"backbone {b.Entry.Name}: {given.Count} decoders for {b.Folds.Count} folds");
            var files = new List<string>();
            var decoders = b.DecoderFiles is null ? null : new List<string>();
            for (var k = 0; k < b.Folds.Count; k++)
            {
                using var cnn = b.Folds[k]();
                var rel = Path.Combine("cnn", b.Entry.Name, $"fold{k}.state");
                Directory.CreateDirectory(Path.Combine(folder, "cnn", b.Entry.Name));
                StateFile.Save(cnn, Path.Combine(folder, rel), half);
                files.Add(rel);
                if (decoders is null) continue;
                var decoderRel = Path.Combine("cnn", b.Entry.Name, $"fold{k}.decoder.state");
                var channels = DecoderInput.FeatureMapChannels(cnn, b.Entry.ImageSize);
                using var trained = new SegmentationDecoder(channels, seed: 0, b.DecoderChannels);
                LoadTrainedDecoder(trained, b.DecoderFiles![k]);
                // The folder's decoders draw blood (what predictions show); subtype channels only served training.
                using var decoder = new SegmentationDecoder(channels, seed: 0);
                trained.CopyBloodChannelInto(decoder);
                StateFile.Save(decoder, Path.Combine(folder, decoderRel), half);
                decoders.Add(decoderRel);
            }
            entries.Add(b.Entry with { Checkpoints = files, Decoders = decoders });
        }
        var systems = new List<SequenceSystemEntry>();
        foreach (var s in sequence.Systems)
        {
            var files = new List<string>();
            for (var k = 0; k < s.Checkpoints.Count; k++)
            {
                var rel = Path.Combine("seq", s.Name, $"fold{k}.state");
                Directory.CreateDirectory(Path.Combine(folder, "seq", s.Name));
                File.Copy(Path.Combine(sequenceFolder, s.Checkpoints[k]), Path.Combine(folder, rel), overwrite: true);
                files.Add(rel);
            }
            systems.Add(s with { Checkpoints = files });
        }
        var manifest = template with
        {
            Classes = HemorrhageClasses.Names.ToList(),
            Backbones = entries,
            Sequence = sequence with { Systems = systems },
        };
        manifest.Validate(folder);
        manifest.Save(folder);
        using (ModelBundle.Load(folder)) { } // proves every checkpoint loads into its network
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }
}
