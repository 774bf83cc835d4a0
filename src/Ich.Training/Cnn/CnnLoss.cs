using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// The stage-1 classification loss in one place, so the trainer and the tests that probe it (overfit one
/// batch) compute exactly the same thing: binary cross-entropy per class, weighted by the configured class
/// weights (2 for any, 1 per subtype), normalised by batch size × weight sum; optionally plus a
/// subtype-given-bleed term (<see cref="SubtypeGivenBleed"/>).
/// </summary>
public static class CnnLoss
{
    /// <summary>Weighted BCE of logits [B, 6] against labels [B, 6]; <paramref name="weights"/> is [1, 6].</summary>
    public static Tensor Classification(Tensor logits, Tensor labels, Tensor weights, float weightSum)
    {
        using var perElement = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None);
        return (perElement * weights).sum() / (logits.shape[0] * weightSum);
    }

    /// <summary>
    /// <see cref="Classification"/> plus <paramref name="subtypeWeight"/> × <see cref="SubtypeGivenBleed"/>; with a
    /// weight of 0 it is <see cref="Classification"/> exactly (no extra term in the graph).
    /// </summary>
    public static Tensor Total(Tensor logits, Tensor labels, Tensor weights, float weightSum, double subtypeWeight)
    {
        var classification = Classification(logits, labels, weights, weightSum);
        if (subtypeWeight <= 0) return classification;
        using var conditional = SubtypeGivenBleed(logits, labels);
        return classification + (float)subtypeWeight * conditional;
    }

    /// <summary>
    /// Mean BCE of the five subtype columns over the slices labelled as bleeding (any = 1) only; 0 when the batch
    /// has none. Why: in the plain loss most of a subtype logit's gradient says "bleed or not", which the any column
    /// already learns; this term asks only which kind, where a kind is present — the separation the style-shift
    /// subtypes lack (docs/default-model.md).
    /// </summary>
    public static Tensor SubtypeGivenBleed(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var subtypeCount = logits.shape[1] - 1;
        var subtypeLogits = logits.narrow(1, 1, subtypeCount);
        var subtypeLabels = labels.narrow(1, 1, subtypeCount);
        var bleeding = (labels.narrow(1, 0, 1) > 0.5f).to(logits.dtype);
        var perElement = nn.functional.binary_cross_entropy_with_logits(subtypeLogits, subtypeLabels, reduction: nn.Reduction.None);
        var rows = bleeding.sum().clamp_min(1f);
        return ((perElement * bleeding).sum() / (rows * subtypeCount)).MoveToOuterDisposeScope();
    }
}
