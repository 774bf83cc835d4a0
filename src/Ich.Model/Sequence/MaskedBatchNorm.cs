using Ich.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Model.Sequence;

/// <summary>
/// Batch normalisation over [B, C, L, W] whose training statistics use only the real (unpadded) slice
/// positions, and whose output is zero at padded positions. With no padding it equals BatchNorm2d
/// (same parameters, running statistics, momentum 0.1, eps 1e-5, unbiased running variance). The
/// released code uses plain BatchNorm2d, so padding shifts its batch statistics; this does not.
/// </summary>
public sealed class MaskedBatchNorm : nn.Module<Tensor, Tensor, Tensor>
{
    private const double Momentum = 0.1;
    private const double Eps = 1e-5;
    // No implicit Scalars here (this runs thousands of times per training): an implicit number → Scalar conversion
    // makes a native object that only a finalizer frees, and the GC may finalize it while libtorch still reads it
    // (seen as rare "toDouble"/"type" failures mid-training). Scalars are static, or disposed with `using`.
    private static readonly Scalar EpsScalar = Eps.ToScalar();
    private static readonly Scalar MomentumScalar = Momentum.ToScalar();
    private static readonly Scalar KeepScalar = (1 - Momentum).ToScalar();
    private readonly TorchSharp.Modules.Parameter _weight;
    private readonly TorchSharp.Modules.Parameter _bias;
    private readonly Tensor _runningMean;
    private readonly Tensor _runningVar;

    public MaskedBatchNorm(string name, long channels) : base(name)
    {
        _weight = new TorchSharp.Modules.Parameter(ones(channels));
        _bias = new TorchSharp.Modules.Parameter(zeros(channels));
        _runningMean = zeros(channels);
        _runningVar = ones(channels);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
        register_buffer("running_mean", _runningMean);
        register_buffer("running_var", _runningVar);
    }

    /// <param name="x">[B, C, L, W] activations.</param>
    /// <param name="mask">[B, 1, L, 1] of 0/1 (1 = real slice).</param>
    /// <returns>[B, C, L, W], zero where the mask is 0.</returns>
    public override Tensor forward(Tensor x, Tensor mask)
    {
        var channelShape = new long[] { 1, -1, 1, 1 };
        Tensor mean, variance;
        if (training)
        {
            var dims = new long[] { 0, 2, 3 };
            using var width = x.shape[3].ToScalar();
            var count = mask.sum().mul(width);
            mean = (x * mask).sum(dims) / count;
            var centred = (x - mean.view(channelShape)) * mask;
            variance = (centred * centred).sum(dims) / count; // not square(): it makes a temporary Scalar inside TorchSharp
            using (no_grad())
            {
                var n = count.item<float>();
                using var correction = (n > 1 ? n / (n - 1.0) : 1.0).ToScalar();
                var unbiased = variance.mul(correction);
                _runningMean.mul_(KeepScalar).add_(mean.detach().mul(MomentumScalar), NativeScalars.One);
                _runningVar.mul_(KeepScalar).add_(unbiased.detach().mul(MomentumScalar), NativeScalars.One);
            }
        }
        else
        {
            mean = _runningMean;
            variance = _runningVar;
        }
        // Explicit alphas: the overloads without one pass a temporary Scalar that a collection can free while libtorch
        // reads it (docs/default-model.md, "Training is robust to a TorchSharp race"; it failed here three times running).
        var normalised = (x - mean.view(channelShape)) / variance.view(channelShape).add(EpsScalar, NativeScalars.One).sqrt();
        return (normalised * _weight.view(channelShape) + _bias.view(channelShape)) * mask;
    }
}
