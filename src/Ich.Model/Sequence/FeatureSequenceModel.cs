using Ich.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// Sequence Model 1 ("FC + BiGRU + skip"): a per-slice MLP shared by all backbones (1×1 convolutions
/// over the slice × backbone grid), the backbones' outputs concatenated per slice, then a linear skip
/// head plus a BiGRU head; logits = skip + GRU.
/// </summary>
public sealed class FeatureSequenceModel : nn.Module
{
    private readonly Dropout2d drop_in, drop_mid, drop_out;
    private readonly Conv2d conv1, conv2;
    private readonly MaskedBatchNorm bn1, bn2;
    private readonly Linear skip;
    private readonly GRU gru;
    private readonly Linear gru_head;

    public FeatureSequenceModel(SequenceNetOptions o) : base(nameof(FeatureSequenceModel))
    {
        drop_in = nn.Dropout2d(o.Dropout);
        drop_mid = nn.Dropout2d(o.Dropout);
        drop_out = nn.Dropout2d(o.Dropout);
        conv1 = nn.Conv2d(o.FeatureDim, o.MlpHidden, 1, bias: false);
        bn1 = new MaskedBatchNorm("bn1", o.MlpHidden);
        conv2 = nn.Conv2d(o.MlpHidden, o.MlpOut, 1, bias: false);
        bn2 = new MaskedBatchNorm("bn2", o.MlpOut);
        var perSlice = (long)o.MlpOut * o.FeatureSets;
        skip = nn.Linear(perSlice, HemorrhageClasses.Count);
        gru = nn.GRU(perSlice, o.GruHidden, numLayers: o.GruLayers, batchFirst: true, bidirectional: true);
        gru_head = nn.Linear(2L * o.GruHidden, HemorrhageClasses.Count);
        RegisterComponents();
    }

    /// <param name="features">[B, F, L, D].</param>
    /// <param name="mask4">[B, 1, L, 1] of 0/1.</param>
    /// <param name="lengths">Real length per scan.</param>
    /// <returns>Logits [B, L, 6], zero at padded positions.</returns>
    public Tensor Forward(Tensor features, Tensor mask4, long[] lengths)
    {
        var x = features.permute(0, 3, 2, 1);                     // [B, D, L, F]
        x = drop_in.call(x);
        x = nn.functional.relu(bn1.call(conv1.call(x), mask4));
        x = drop_mid.call(x);
        x = nn.functional.relu(bn2.call(conv2.call(x), mask4));
        x = drop_out.call(x);                                      // [B, 128, L, F]
        var b = x.shape[0];
        var l = x.shape[2];
        var perSlice = x.permute(0, 2, 3, 1).reshape(b, l, -1);  // [B, L, F·128]
        var mask3 = mask4.view(b, l, 1);
        var gruOut = PackedGru.Run(gru, perSlice, lengths);        // [B, L, 2H]
        return (skip.call(perSlice) + gru_head.call(gruOut)) * mask3;
    }
}
