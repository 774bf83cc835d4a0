using Ich.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Ich.Model.Cnn.Backbones.Layers;

namespace Ich.Model.Cnn.Backbones;

/// <summary>
/// <c>small</c>: the CPU default, trained from scratch. Five stride-2 conv3-BN-ReLU stages (24, 32, 64,
/// 128, 256 channels; ×32 downsampling, 8×8 map at 256 px) with one residual conv pair at each of the
/// two coarsest stages, where the receptive field spans most of the brain and the cost is low; then
/// GAP → Linear(256 → 6). About 1.6 M parameters; ~20–30 ms per training image at 256 px on 2 cores.
/// </summary>
public sealed class SmallCnn : SliceCnn
{
    private static readonly int[] Widths = [24, 32, 64, 128, 256];
    private readonly Sequential features;
    private readonly Linear classifier;

    public SmallCnn() : base("SmallCnn", "small", Widths[^1], PaperNormalization.Mean, PaperNormalization.Std)
    {
        var stages = new List<(string, nn.Module<Tensor, Tensor>)>();
        var inCh = 3;
        for (var i = 0; i < Widths.Length; i++)
        {
            stages.Add(($"stage{i + 1}", new ConvBnRelu(inCh, Widths[i], stride: 2)));
            if (i >= 3) stages.Add(($"res{i + 1}", new ResidualPair(Widths[i])));
            inCh = Widths[i];
        }
        features = nn.Sequential(stages);
        classifier = nn.Linear(Widths[^1], Ich.Core.HemorrhageClasses.Count);
        RegisterComponents();
        InitializeWeights();
    }

    protected override Tensor Body(Tensor x) => features.call(x);

    public override (Tensor Logits, Tensor Features) Head(Tensor featureMap)
    {
        var pooled = GlobalAvgPool(featureMap);
        return (classifier.call(pooled), pooled);
    }

    private sealed class ConvBnRelu : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv;
        private readonly BatchNorm2d bn;

        public ConvBnRelu(long inCh, long outCh, long stride) : base(nameof(ConvBnRelu))
        {
            conv = Conv(inCh, outCh, 3, stride, 1);
            bn = Bn(outCh);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => nn.functional.relu(bn.call(conv.call(x)), inplace: true);
    }

    private sealed class ResidualPair : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1, conv2;
        private readonly BatchNorm2d bn1, bn2;

        public ResidualPair(long ch) : base(nameof(ResidualPair))
        {
            conv1 = Conv(ch, ch, 3, 1, 1);
            bn1 = Bn(ch);
            conv2 = Conv(ch, ch, 3, 1, 1);
            bn2 = Bn(ch);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = nn.functional.relu(bn1.call(conv1.call(x)), inplace: true);
            y = bn2.call(conv2.call(y));
            return nn.functional.relu(y.add_(x, NativeScalars.One), inplace: true);
        }
    }
}
