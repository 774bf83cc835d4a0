using static TorchSharp.torch;

namespace Ich.Model.Cnn.Segmentation;

/// <summary>
/// The mask loss of dense supervision: per sample and channel, mean binary cross-entropy over pixels plus soft Dice
/// (1 − (2·Σpg + 1)/(Σp + Σg + 1), smoothed so an empty mask predicted empty scores 0), weighted per sample and channel
/// and averaged over the (sample, channel) pairs whose weight is non-zero. A weight of 0 marks a mask that is unknown (a
/// real positive without a segmentation, or one subtype's share of a real slice with several): its term is multiplied by
/// exactly 0, so it adds nothing to the loss or to any gradient. Targets are resized to the logits' grid by area
/// averaging (soft values at edges).
/// </summary>
public static class MaskLoss
{
    /// <param name="logits">Decoder output [N, C, h, w].</param>
    /// <param name="masks">Target masks [N, C, H, W] in [0, 1] on the network-input grid (H, W multiples of h, w).</param>
    /// <param name="weights">Weights [N, C] (1 known, 0 unknown); [N] for one channel.</param>
    public static Tensor Compute(Tensor logits, Tensor masks, Tensor weights)
    {
        var target = masks.shape[2] == logits.shape[2] && masks.shape[3] == logits.shape[3]
            ? masks
            : nn.functional.adaptive_avg_pool2d(masks, [logits.shape[2], logits.shape[3]]);
        var w = weights.dim() == 1 ? weights.unsqueeze(1) : weights;
        var bce = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None).mean([2, 3]);
        var p = logits.sigmoid();
        var intersection = (p * target).sum([2, 3]);
        var dice = 1 - (2 * intersection + 1) / (p.sum([2, 3]) + target.sum([2, 3]) + 1);
        var perMask = (bce + dice) * w;
        return perMask.sum() / w.sum().clamp_min(1);
    }
}
