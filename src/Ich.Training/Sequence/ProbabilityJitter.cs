using Ich.Core;
using Ich.Model.Sequence;
using static TorchSharp.torch;

namespace Ich.Training.Sequence;

/// <summary>
/// <c>seq.probabilityJitter</c>: a training-time augmentation of the CNN probabilities SeqModel2 reads. Each scan of a
/// batch gets, per probability set and class, its own monotone recalibration p → σ(a·logit p + b), a drawn from
/// [1 − scale, 1 + scale] and b from [−offset, offset]. The ranking of slices within a scan and class is kept; the level
/// and spread are not. Why: a CNN's probabilities move as a whole on data of another style (a scan's false-positive
/// level rises with noise or low contrast, docs/default-model.md), and SeqModel2, which reads them directly, then drops
/// below SeqModel1; a SeqModel2 trained on recalibrated copies has to lean on the shape along the scan and on SeqModel1.
/// Off (null) unless a config sets it; never applied at validation or inference.
/// </summary>
public sealed record ProbabilityJitter
{
    /// <summary>Half-width of the logit scale factor's range, in [0, 1).</summary>
    public double Scale { get; init; }

    /// <summary>Half-width of the logit offset's range, in [0, 5].</summary>
    public double Offset { get; init; }

    /// <summary>Probabilities are clamped this far from 0 and 1 before the logit (the CNN's stored probabilities reach both).</summary>
    public const double Epsilon = 1e-6;

    /// <summary>The first problem with the ranges, or null.</summary>
    public string? Problem() =>
        Scale is < 0 or >= 1 || double.IsNaN(Scale) ? $"probabilityJitter.scale must be in [0, 1) (got {Scale})"
        : Offset is < 0 or > 5 || double.IsNaN(Offset) ? $"probabilityJitter.offset must be in [0, 5] (got {Offset})"
        : null;

    /// <summary>
    /// The batch with its probabilities recalibrated per scan, set and class (draws from <paramref name="rng"/>, so a seeded
    /// run repeats); padded positions stay zero. The other tensors are the batch's own.
    /// </summary>
    public SequenceTensors Apply(SequenceTensors batch, Random rng)
    {
        var shape = batch.Probabilities.shape;                           // [B, M, L, 6]
        var (b, m) = (shape[0], shape[1]);
        var count = (int)(b * m * HemorrhageClasses.Count);
        var scales = new float[count];
        var offsets = new float[count];
        for (var i = 0; i < count; i++)
        {
            scales[i] = (float)(1 + Scale * (2 * rng.NextDouble() - 1));
            offsets[i] = (float)(Offset * (2 * rng.NextDouble() - 1));
        }
        var a = tensor(scales).view(b, m, 1, HemorrhageClasses.Count);
        var o = tensor(offsets).view(b, m, 1, HemorrhageClasses.Count);
        var p = batch.Probabilities.clamp(Epsilon, 1 - Epsilon);
        var logit = (p / (1 - p)).log();
        var mask = batch.Mask.view(b, 1, shape[2], 1);
        return batch with { Probabilities = nn.functional.sigmoid(a * logit + o) * mask };
    }
}
