using Ich.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// Sequence Model 2 ("1D CNN + BiGRU + skip"): (k×1) convolutions slide along the slice axis over the
/// stacked probabilities (each class column with shared weights), then a conv head plus a BiGRU head
/// over the flattened conv features; logits = conv head + GRU head. Activations are re-zeroed at
/// padded positions after every block, so a padded scan gives what the same scan alone gives.
/// </summary>
public sealed class ProbabilitySequenceModel : nn.Module
{
    private readonly Conv2d conv_a, conv_b, conv_c, conv_d, conv_final;
    private readonly MaskedBatchNorm bn_a, bn_b, bn_c, bn_d;
    private readonly GRU gru;
    private readonly Linear gru_head;
    private readonly int _narrow;

    public ProbabilitySequenceModel(SequenceNetOptions o) : base(nameof(ProbabilitySequenceModel))
    {
        _narrow = o.ConvNarrow;
        conv_a = nn.Conv2d(o.Stage2Channels, o.ConvWide, (5, 1), padding: (2, 0), bias: false);
        bn_a = new MaskedBatchNorm("bn_a", o.ConvWide);
        conv_b = nn.Conv2d(o.ConvWide, o.ConvNarrow, (3, 1), padding: (2, 0), dilation: (2, 1), bias: false);
        bn_b = new MaskedBatchNorm("bn_b", o.ConvNarrow);
        conv_c = nn.Conv2d(o.ConvNarrow, o.ConvNarrow, (3, 1), padding: (4, 0), dilation: (4, 1), bias: false);
        bn_c = new MaskedBatchNorm("bn_c", o.ConvNarrow);
        conv_d = nn.Conv2d(o.ConvNarrow, o.ConvNarrow, (3, 1), padding: (2, 0), dilation: (2, 1), bias: false);
        bn_d = new MaskedBatchNorm("bn_d", o.ConvNarrow);
        conv_final = nn.Conv2d(o.ConvNarrow, 1, (3, 1), padding: (1, 0), bias: false);
        gru = nn.GRU((long)HemorrhageClasses.Count * o.ConvNarrow, o.GruHidden, numLayers: o.GruLayers, batchFirst: true, bidirectional: true);
        gru_head = nn.Linear(2L * o.GruHidden, HemorrhageClasses.Count);
        RegisterComponents();
        if (o.Stage2Residual) ZeroOutputLayers();
    }

    /// <summary>
    /// A residual SeqModel2 starts as "no correction": both heads output exactly zero until training moves them.
    /// Done after the seeded initialisation so the random draws of every other layer are those of the plain network.
    /// </summary>
    private void ZeroOutputLayers()
    {
        using var noGrad = torch.no_grad();
        conv_final.weight!.zero_();
        gru_head.weight!.zero_();
        gru_head.bias!.zero_();
    }

    /// <param name="x">[B, C, L, 6] stacked inputs (see <see cref="SequenceNetOptions.Stage2Channels"/>), zero at padding.</param>
    /// <param name="mask4">[B, 1, L, 1] of 0/1.</param>
    /// <param name="lengths">Real length per scan.</param>
    /// <returns>Logits [B, L, 6], zero at padded positions.</returns>
    public Tensor Forward(Tensor x, Tensor mask4, long[] lengths)
    {
        var h = nn.functional.relu(bn_a.call(conv_a.call(x), mask4));
        h = nn.functional.relu(bn_b.call(conv_b.call(h), mask4));
        h = nn.functional.relu(bn_c.call(conv_c.call(h), mask4));
        h = nn.functional.relu(bn_d.call(conv_d.call(h), mask4));         // [B, 256, L, 6]
        var b = h.shape[0];
        var l = h.shape[2];
        var convLogits = conv_final.call(h).squeeze(1);                     // [B, L, 6]
        var perSlice = h.permute(0, 2, 1, 3).reshape(b, l, (long)HemorrhageClasses.Count * _narrow);   // [B, L, 256·6]
        var gruOut = PackedGru.Run(gru, perSlice, lengths);
        return (convLogits + gru_head.call(gruOut)) * mask4.view(b, l, 1);
    }
}
