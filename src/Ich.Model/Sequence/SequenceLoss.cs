using Ich.Core;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// The training loss of the released code, with padding masked out: per class, binary cross-entropy
/// with logits averaged over the real slices only; classes weighted 2 (any) and 1 (subtypes), divided
/// by the weight sum 7. Padded positions add exactly zero to the loss and to every gradient.
/// </summary>
public static class SequenceLoss
{
    // Held for the process lifetime (an implicit Scalar may be finalized while libtorch reads it).
    private static readonly TorchSharp.Scalar One = TorchSharp.ScalarExtensionMethods.ToScalar(1.0);

    /// <param name="logits">[B, L, 6].</param>
    /// <param name="targets">[B, L, 6] in {0, 1} (any value at padded positions).</param>
    /// <param name="mask">[B, L] of 0/1.</param>
    /// <returns>Scalar weighted loss.</returns>
    public static Tensor Weighted(Tensor logits, Tensor targets, Tensor mask)
    {
        var keep = mask.unsqueeze(-1).expand_as(logits) > 0.5;
        // where() rather than multiplication, so a NaN/inf at a padded position cannot leak in.
        var safeLogits = where(keep, logits, zeros_like(logits));
        var safeTargets = where(keep, targets, zeros_like(targets));
        var bce = nn.functional.binary_cross_entropy_with_logits(safeLogits, safeTargets, reduction: nn.Reduction.None);
        var perClass = where(keep, bce, zeros_like(bce)).sum(new long[] { 0, 1 }) / mask.sum().clamp_min(One);
        using var weights = tensor(HemorrhageClasses.LossWeights.Select(w => (float)w).ToArray(), device: logits.device);
        return (perClass * weights).sum() / weights.sum();
    }

    /// <summary>
    /// The loss of a factorised output (<see cref="SequenceNetOptions.SubtypeGivenBleed"/>): the any column as in
    /// <see cref="Weighted"/>; each subtype column is the cross-entropy of σ(z_subtype), P(subtype | bleed), averaged
    /// over the real slices labelled any = 1 only (zero when a batch has none). Same class weights.
    /// </summary>
    public static Tensor GivenBleed(Tensor logits, Tensor targets, Tensor mask)
    {
        var real = mask.unsqueeze(-1).expand_as(logits) > 0.5;
        var bleeding = targets.narrow(-1, 0, 1).expand_as(logits) > 0.5;
        using var anyColumn = tensor(Enumerable.Range(0, HemorrhageClasses.Count).Select(c => c == 0).ToArray(), device: logits.device);
        var keep = real & (bleeding | anyColumn);
        var safeLogits = where(keep, logits, zeros_like(logits));
        var safeTargets = where(keep, targets, zeros_like(targets));
        var bce = nn.functional.binary_cross_entropy_with_logits(safeLogits, safeTargets, reduction: nn.Reduction.None);
        var perClass = where(keep, bce, zeros_like(bce)).sum(new long[] { 0, 1 }) / keep.sum(new long[] { 0, 1 }).to(logits.dtype).clamp_min(One);
        using var weights = tensor(HemorrhageClasses.LossWeights.Select(w => (float)w).ToArray(), device: logits.device);
        return (perClass * weights).sum() / weights.sum();
    }

    /// <summary>Deep supervision: loss(SeqModel2) + loss(SeqModel1), as the released code (per stage <see cref="GivenBleed"/> for a factorised output).</summary>
    public static Tensor Joint(Tensor stage1Logits, Tensor stage2Logits, Tensor targets, Tensor mask, bool subtypeGivenBleed = false) =>
        subtypeGivenBleed
            ? GivenBleed(stage2Logits, targets, mask) + GivenBleed(stage1Logits, targets, mask)
            : Weighted(stage2Logits, targets, mask) + Weighted(stage1Logits, targets, mask);
}
