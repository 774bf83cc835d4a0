namespace Ich.Model.Sequence;

/// <summary>
/// Sizes of the joint sequence network (SeqModel1 + SeqModel2). The defaults are the released winning
/// code's (<c>SequenceModel/seq_model.py</c>): per-backbone MLP 2048→512→128, BiGRU hidden 96 × 2 layers,
/// dropout 0.5, 1D-conv widths 512/256. Tests shrink the widths; the structure never changes.
/// </summary>
public sealed record SequenceNetOptions
{
    /// <summary>Number of CNN feature sets stacked on the backbone axis (F).</summary>
    public int FeatureSets { get; init; } = 1;

    /// <summary>Feature length per backbone after zero-padding to a common size (D; the released code pads to 2048).</summary>
    public int FeatureDim { get; init; } = 2048;

    /// <summary>Number of CNN probability sets (M) fed to SeqModel2.</summary>
    public int ProbabilitySets { get; init; } = 1;

    /// <summary>Add the SliceThickness (mm) channel to SeqModel2's input (the paper's "slice thickness" meta input).</summary>
    public bool UseThickness { get; init; }

    public int MlpHidden { get; init; } = 512;
    public int MlpOut { get; init; } = 128;
    public int GruHidden { get; init; } = 96;
    public int GruLayers { get; init; } = 2;
    public double Dropout { get; init; } = 0.5;
    public int ConvWide { get; init; } = 512;
    public int ConvNarrow { get; init; } = 256;

    /// <summary>
    /// SeqModel2 predicts a correction to SeqModel1's logits instead of logits of its own (logits2 = logits1 + Δ), with
    /// its two output layers started at zero so that it begins as SeqModel1. Off in the released code; on small
    /// datasets its SeqModel2 scored below SeqModel1 out of fold in every run (docs/sequence-model.md).
    /// </summary>
    public bool Stage2Residual { get; init; }

    /// <summary>
    /// SeqModel2 reads the CNN probability sets (their mean, cyclic differences and the sets themselves), as in the
    /// released code. Off: SeqModel2 reads only Δz (and thickness) and SeqModel1's probability. Why the option: under a
    /// style shift a CNN's probabilities can collapse for a class while its features, read by SeqModel1 through dropout,
    /// still carry the signal, and a SeqModel2 that reads the probabilities follows the collapse (docs/default-model.md).
    /// </summary>
    public bool Stage2CnnProbabilities { get; init; } = true;

    /// <summary>
    /// Both stages' outputs are factorised: P(any) = σ(z_any) and P(subtype) = P(any) · σ(z_subtype), whose second factor,
    /// P(subtype | bleed), is trained on bleeding slices only (<see cref="SequenceLoss"/>). Off in the released code,
    /// where each subtype is its own sigmoid. Why: measured on the default, the sequence stage raises finding blood but
    /// lowers telling the bleeds apart (a subtype's positives against slices that bleed otherwise), since in the plain
    /// loss most of a subtype logit's gradient repeats "bleed or not" (docs/default-model.md, "Subtypes: finding blood
    /// against telling bleeds apart").
    /// </summary>
    public bool SubtypeGivenBleed { get; init; }

    /// <summary>
    /// SeqModel2 input channels: mean of the M probability sets, M cyclic differences, M probability sets (those three
    /// only with <see cref="Stage2CnnProbabilities"/>), Δz, optional thickness, SeqModel1's probability.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Stage2Channels => (Stage2CnnProbabilities ? 1 + 2 * ProbabilitySets : 0) + 1 + (UseThickness ? 1 : 0) + 1;

    /// <summary>Throws <see cref="ArgumentException"/> for sizes the network cannot be built with.</summary>
    public void Validate()
    {
        if (FeatureSets < 1) throw new ArgumentException($"FeatureSets must be >= 1 (got {FeatureSets})");
        if (ProbabilitySets < 1) throw new ArgumentException($"ProbabilitySets must be >= 1 (got {ProbabilitySets})");
        if (FeatureDim < 1 || MlpHidden < 1 || MlpOut < 1 || GruHidden < 1 || GruLayers < 1 || ConvWide < 1 || ConvNarrow < 1)
            throw new ArgumentException("all layer sizes must be >= 1");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"Dropout must be in [0, 1) (got {Dropout})");
    }
}
