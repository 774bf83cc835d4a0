using Ich.Core;
using Ich.Core.Scans;
using Ich.Model.Folder;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;
using Ich.Model.Sequence;
using Ich.Pipeline.Tests.Seq;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// An untrained but complete model folder: backbone <c>small</c> at 64 px with two fold checkpoints,
/// one sequence system with two fold checkpoints, float16 storage, thresholds low enough that the
/// random networks flag something (so Grad-CAM runs). With <c>decoders</c>, each CNN fold also gets an untrained
/// segmentation decoder (model.json <c>decoders</c>); the CNN and sequence weights are the same either way.
/// </summary>
internal static class TinyModelFolder
{
    /// <param name="threshold">Every class's threshold ...</param>
    /// <param name="unflagged">... except these classes, which get none (probability only, never flagged).</param>
    /// <param name="name">The model name written into model.json.</param>
    /// <param name="decoders">Ship one untrained segmentation decoder per CNN fold.</param>
    /// <param name="framing">The backbone's model.json <c>framing</c>.</param>
    public static string Create(double threshold = 0.05, IReadOnlyCollection<string>? unflagged = null, string name = "tiny-untrained-test-model", bool decoders = false,
        InputFraming framing = InputFraming.Field, double? slabMm = null)
    {
        var dir = Ich.TestKit.RepoPaths.NewTempDir("ich-model");
        var cnnFiles = new List<string>();
        var decoderFiles = decoders ? new List<string>() : null;
        for (var k = 0; k < 2; k++)
        {
            using var cnn = CnnFactory.Create("small", seed: 10 + k);
            var rel = $"cnn/small/fold{k}.state";
            Directory.CreateDirectory(Path.Combine(dir, "cnn", "small"));
            StateFile.Save(cnn, Path.Combine(dir, rel), half: true);
            cnnFiles.Add(rel);
            if (decoderFiles is null) continue;
            using var decoder = new SegmentationDecoder(DecoderInput.FeatureMapChannels(cnn, 64), seed: 30 + k);
            var decoderRel = $"cnn/small/fold{k}.decoder.state";
            StateFile.Save(decoder, Path.Combine(dir, decoderRel), half: true);
            decoderFiles.Add(decoderRel);
        }
        var options = TinySequenceBatch.Options(1) with { FeatureDim = 256 };
        var seqFiles = new List<string>();
        for (var k = 0; k < 2; k++)
        {
            TorchSharp.torch.manual_seed(20 + k);
            using var net = new SliceSequenceNet(options);
            var rel = $"seq/small/fold{k}.state";
            Directory.CreateDirectory(Path.Combine(dir, "seq", "small"));
            StateFile.Save(net, Path.Combine(dir, rel), half: true);
            seqFiles.Add(rel);
        }
        new ModelManifest
        {
            Name = name,
            Version = "0.0.1",
            IntendedUse = "Test fixture only: untrained weights, not for any use on patients.",
            Classes = HemorrhageClasses.Names.ToList(),
            Backbones = [new BackboneEntry { Name = "small", Architecture = "small", ImageSize = 64, FeatureDim = 256, Checkpoints = cnnFiles, Decoders = decoderFiles, Framing = framing, SlabMm = slabMm }],
            Sequence = new SequenceManifest([new SequenceSystemEntry("small", ["small"], [256], options, seqFiles)], "float16", 5.0),
            OperatingPoint = new OperatingPoint
            {
                Description = "test thresholds",
                Thresholds = HemorrhageClasses.Names.ToDictionary(n => n, n => unflagged?.Contains(n) == true ? null : (double?)threshold),
            },
        }.Save(dir);
        return dir;
    }
}
