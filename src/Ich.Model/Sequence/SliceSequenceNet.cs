using Ich.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// The joint sequence network of the released winning code: SeqModel1 over the CNN features, then
/// SeqModel2 over the CNN probabilities (unless <see cref="SequenceNetOptions.Stage2CnnProbabilities"/> is off), Δz (and
/// thickness) and SeqModel1's probabilities. Both outputs
/// are returned so each stage can be evaluated and supervised (deep supervision, total loss = both).
/// With <see cref="SequenceNetOptions.Stage2Residual"/>, SeqModel2's output is a correction added to SeqModel1's logits;
/// <see cref="Probabilities"/> turns either stage's logits into probabilities.
/// </summary>
public sealed class SliceSequenceNet : nn.Module
{
    private readonly FeatureSequenceModel stage1;
    private readonly ProbabilitySequenceModel stage2;

    public SliceSequenceNet(SequenceNetOptions options) : base(nameof(SliceSequenceNet))
    {
        options.Validate();
        Options = options;
        stage1 = new FeatureSequenceModel(options);
        stage2 = new ProbabilitySequenceModel(options);
        RegisterComponents();
    }

    public SequenceNetOptions Options { get; }

    /// <summary>Runs both stages. Returns logits [B, L, 6] of SeqModel1 and SeqModel2, zero at padded positions.</summary>
    public (Tensor Stage1, Tensor Stage2) Forward(SequenceTensors input)
    {
        CheckShapes(input);
        var b = input.Mask.shape[0];
        var l = input.Mask.shape[1];
        var mask4 = input.Mask.view(b, 1, l, 1);
        var out1 = stage1.Forward(input.Features * mask4.view(b, 1, l, 1), mask4, input.Lengths);
        var x = Stage2Input(input, Probabilities(out1), mask4);
        var out2 = stage2.Forward(x, mask4, input.Lengths);
        return (out1, Options.Stage2Residual ? out1 + out2 : out2);
    }

    /// <summary>
    /// The probabilities [.., 6] of a stage's logits [.., 6]: a sigmoid per class, or with
    /// <see cref="SequenceNetOptions.SubtypeGivenBleed"/> P(any) = σ(z_any) and P(subtype) = P(any) · σ(z_subtype).
    /// </summary>
    public Tensor Probabilities(Tensor logits)
    {
        if (!Options.SubtypeGivenBleed) return logits.sigmoid();
        var any = logits.narrow(-1, 0, 1).sigmoid();
        return cat([any, any * logits.narrow(-1, 1, HemorrhageClasses.Count - 1).sigmoid()], -1);
    }

    /// <summary>
    /// [B, C, L, 6]: mean, cyclic differences, probabilities (unless <see cref="SequenceNetOptions.Stage2CnnProbabilities"/>
    /// is off), Δz, thickness?, SeqModel1 probability; zero at padding.
    /// </summary>
    private Tensor Stage2Input(SequenceTensors input, Tensor stage1Probability, Tensor mask4)
    {
        var p = input.Probabilities;                                    // [B, M, L, 6]
        var b = p.shape[0];
        var l = p.shape[2];
        var channels = new List<Tensor>();
        if (Options.Stage2CnnProbabilities)
        {
            channels.Add(p.mean(new long[] { 1 }, keepdim: true));
            channels.Add(p - p.roll(-1, 1));
            channels.Add(p);
        }
        channels.Add(input.DeltaZ.view(b, 1, l, 1).expand(b, 1, l, HemorrhageClasses.Count));
        if (Options.UseThickness)
            channels.Add(input.Thickness!.view(b, 1, l, 1).expand(b, 1, l, HemorrhageClasses.Count));
        channels.Add(stage1Probability.unsqueeze(1));
        return cat(channels, 1) * mask4;
    }

    private void CheckShapes(SequenceTensors t)
    {
        var o = Options;
        if (t.Features.dim() != 4 || t.Features.shape[1] != o.FeatureSets || t.Features.shape[3] != o.FeatureDim)
            throw new ArgumentException($"features must be [B, {o.FeatureSets}, L, {o.FeatureDim}], got [{string.Join(", ", t.Features.shape)}]");
        var b = t.Features.shape[0];
        var l = t.Features.shape[2];
        if (t.Probabilities.dim() != 4 || t.Probabilities.shape[0] != b || t.Probabilities.shape[1] != o.ProbabilitySets
            || t.Probabilities.shape[2] != l || t.Probabilities.shape[3] != HemorrhageClasses.Count)
            throw new ArgumentException($"probabilities must be [{b}, {o.ProbabilitySets}, {l}, {HemorrhageClasses.Count}], got [{string.Join(", ", t.Probabilities.shape)}]");
        if (t.DeltaZ.dim() != 2 || t.DeltaZ.shape[0] != b || t.DeltaZ.shape[1] != l)
            throw new ArgumentException($"deltaZ must be [{b}, {l}]");
        if (t.Mask.dim() != 2 || t.Mask.shape[0] != b || t.Mask.shape[1] != l)
            throw new ArgumentException($"mask must be [{b}, {l}]");
        if (o.UseThickness && (t.Thickness is null || t.Thickness.shape[0] != b || t.Thickness.shape[1] != l))
            throw new ArgumentException($"this network takes a thickness input [{b}, {l}]");
        if (t.Lengths.Length != b || t.Lengths.Any(n => n < 1 || n > l))
            throw new ArgumentException($"lengths must be {b} values in [1, {l}]");
    }
}
