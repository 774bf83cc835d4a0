using Ich.Model.Sequence;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>Small random batches for the sequence network tests (seeded).</summary>
internal static class TinySequenceBatch
{
    public static SequenceNetOptions Options(int featureSets = 2, bool thickness = false, double dropout = 0.5, bool residual = false) => new()
    {
        FeatureSets = featureSets,
        ProbabilitySets = featureSets,
        FeatureDim = 12,
        MlpHidden = 10,
        MlpOut = 6,
        GruHidden = 5,
        GruLayers = 2,
        ConvWide = 8,
        ConvNarrow = 4,
        Dropout = dropout,
        UseThickness = thickness,
        Stage2Residual = residual,
    };

    /// <summary>A batch of scans with the given lengths, padded to the longest with zeros.</summary>
    public static (SequenceTensors Input, Tensor Targets) Make(SequenceNetOptions o, long[] lengths, long seed, long? padTo = null)
    {
        var gen = new Generator((ulong)seed);
        var b = lengths.Length;
        var l = padTo ?? lengths.Max();
        var mask = zeros(b, l);
        for (var i = 0; i < b; i++) mask[i, TensorIndex.Slice(0, lengths[i])] = 1;
        var m4 = mask.view(b, 1, l, 1);
        var features = rand(new long[] { b, o.FeatureSets, l, o.FeatureDim }, generator: gen) * m4;
        var probs = rand(new long[] { b, o.ProbabilitySets, l, 6 }, generator: gen) * m4;
        var dz = (full(b, l, 5f) + rand(new long[] { b, l }, generator: gen)) * mask;
        var thickness = o.UseThickness ? full(b, l, 5f) * mask : null;
        var targets = (rand(new long[] { b, l, 6 }, generator: gen) > 0.7).to_type(ScalarType.Float32) * mask.unsqueeze(-1);
        return (new SequenceTensors(features, probs, dz, thickness, mask, lengths), targets);
    }
}
