using static TorchSharp.torch;

namespace Ich.Model.Cnn.Segmentation;

/// <summary>
/// The mask loss of dense supervision: per sample, mean binary cross-entropy over pixels plus soft Dice
/// (1 − (2·Σpg + 1)/(Σp + Σg + 1), smoothed so an empty mask predicted empty scores 0), weighted per sample and
/// averaged over the samples whose weight is non-zero. A weight of 0 marks a slice whose mask is unknown (a real
/// positive without a segmentation): its term is multiplied by exactly 0, so it adds nothing to the loss or to any
/// gradient. Targets are resized to the logits' grid by area averaging (soft values at edges).
/// </summary>
public static class MaskLoss
{
    /// <param name="logits">Decoder output [N, 1, h, w].</param>
    /// <param name="masks">Target masks [N, 1, H, W] in [0, 1] on the network-input grid (H, W multiples of h, w).</param>
    /// <param name="weights">Per-sample weights [N] (1 known, 0 unknown).</param>
    public static Tensor Compute(Tensor logits, Tensor masks, Tensor weights)
    {
        var target = masks.shape[2] == logits.shape[2] && masks.shape[3] == logits.shape[3]
            ? masks
            : nn.functional.adaptive_avg_pool2d(masks, [logits.shape[2], logits.shape[3]]);
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None).mean([1, 2, 3]);
        var p = logits.sigmoid();
        var intersection = (p * target).sum([1, 2, 3]);
        var dice = 1 - (2 * intersection + 1) / (p.sum([1, 2, 3]) + target.sum([1, 2, 3]) + 1);
        var perSample = (bce + dice) * weights;
        return perSample.sum() / weights.sum().clamp_min(1);
    }
}
