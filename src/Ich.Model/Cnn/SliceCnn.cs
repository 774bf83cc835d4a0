using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Model.Cnn;

/// <summary>
/// A per-slice CNN: input [N, 3, H, W] of the three windows (brain, subdural, bone) each in [0, 1];
/// output 6 logits [N, 6] in <see cref="Ich.Core.HemorrhageClasses"/> order and the pooled feature
/// vector [N, <see cref="FeatureDim"/>] that feeds the sequence stage. The input normalisation the
/// weights expect happens inside the model, so callers always pass [0, 1] windows.
/// </summary>
public abstract class SliceCnn : nn.Module<Tensor, Tensor>
{
    private readonly float[] _mean;
    private readonly float[] _std;

    protected SliceCnn(string name, string backbone, int featureDim, float[] mean, float[] std) : base(name)
    {
        Backbone = backbone;
        FeatureDim = featureDim;
        _mean = mean;
        _std = std;
    }

    /// <summary>Registered backbone name (e.g. <c>small</c>, <c>densenet121</c>).</summary>
    public string Backbone { get; }

    /// <summary>Length of the pooled feature vector.</summary>
    public int FeatureDim { get; }

    /// <summary>Per-channel mean/std applied to the [0, 1] input before the first layer.</summary>
    public (IReadOnlyList<float> Mean, IReadOnlyList<float> Std) InputNormalization => (_mean, _std);

    /// <summary>The last convolutional feature map [N, C, h, w] (the Grad-CAM target) of [0, 1] input [N, 3, H, W].</summary>
    public Tensor FeatureMap(Tensor input) => Body(Normalize(input));

    /// <summary>Head on a feature map: logits [N, 6] and pooled features [N, FeatureDim].</summary>
    public abstract (Tensor Logits, Tensor Features) Head(Tensor featureMap);

    /// <summary>Logits [N, 6] and pooled features [N, FeatureDim] in one pass.</summary>
    public (Tensor Logits, Tensor Features) ForwardWithFeatures(Tensor input) => Head(FeatureMap(input));

    public override Tensor forward(Tensor input) => Head(FeatureMap(input)).Logits;

    /// <summary>Backbone body on normalised input.</summary>
    protected abstract Tensor Body(Tensor x);

    private Tensor Normalize(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 3)
            throw new Ich.Core.Errors.ModelInputException($"expected input [N, 3, H, W], got [{string.Join(", ", x.shape)}]");
        using var mean = tensor(_mean, dtype: x.dtype, device: x.device).view(1, 3, 1, 1);
        using var std = tensor(_std, dtype: x.dtype, device: x.device).view(1, 3, 1, 1);
        return (x - mean) / std;
    }

    /// <summary>The winning code's normalisation: mean 0.456, std 0.224 on every channel of the [0, 1] image.</summary>
    protected static (float[] Mean, float[] Std) PaperNormalization => ([0.456f, 0.456f, 0.456f], [0.224f, 0.224f, 0.224f]);

    /// <summary>Kaiming-normal (fan-out, ReLU) convolutions, unit BatchNorm, zero biases, as torchvision initialises ResNets.</summary>
    protected void InitializeWeights()
    {
        using var _ = no_grad();
        foreach (var (_, m) in named_modules())
        {
            switch (m)
            {
                case TorchSharp.Modules.Conv2d c:
                    nn.init.kaiming_normal_(c.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                    if (c.bias is not null) nn.init.zeros_(c.bias);
                    break;
                case TorchSharp.Modules.BatchNorm2d b:
                    nn.init.ones_(b.weight);
                    nn.init.zeros_(b.bias);
                    break;
            }
        }
    }
}
