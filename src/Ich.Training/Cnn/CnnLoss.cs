using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// The stage-1 classification loss in one place, so the trainer and the tests that probe it (overfit one
/// batch) compute exactly the same thing: binary cross-entropy per class, weighted by the configured class
/// weights (2 for any, 1 per subtype), normalised by batch size × weight sum.
/// </summary>
public static class CnnLoss
{
    /// <summary>Weighted BCE of logits [B, 6] against labels [B, 6]; <paramref name="weights"/> is [1, 6].</summary>
    public static Tensor Classification(Tensor logits, Tensor labels, Tensor weights, float weightSum)
    {
        using var perElement = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None);
        return (perElement * weights).sum() / (logits.shape[0] * weightSum);
    }
}
