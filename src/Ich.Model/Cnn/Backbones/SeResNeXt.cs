using Ich.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Ich.Model.Cnn.Backbones.Layers;

namespace Ich.Model.Cnn.Backbones;

/// <summary>
/// SE-ResNeXt101 32×4d with the <c>pretrainedmodels</c> parameter names (layer0.conv1, layer0.bn1,
/// layerN.M.conv1/bn1/conv2/bn2/conv3/bn3/se_module.fc1/fc2/downsample.0/1, last_linear), so a state dict
/// of that package loads strictly. Head as the winning code: GAP → last_linear(2048 → 6); feature = GAP vector.
/// </summary>
public sealed class SeResNeXt : SliceCnn
{
    private const int Groups = 32, Reduction = 16, BaseWidth = 4;
    private readonly Sequential layer0, layer1, layer2, layer3, layer4;
    private readonly Linear last_linear;

    /// <param name="backbone">Registered name.</param>
    /// <param name="blocks">Blocks per stage: [3, 4, 23, 3] for SE-ResNeXt101.</param>
    public SeResNeXt(string backbone, int[] blocks) : base("SeResNeXt", backbone, 2048, PaperNormalization.Mean, PaperNormalization.Std)
    {
        layer0 = nn.Sequential(
            ("conv1", Conv(3, 64, 7, 2, 3)),
            ("bn1", Bn(64)),
            ("relu1", nn.ReLU(inplace: true)),
            ("pool", nn.MaxPool2d(3, 2, ceil_mode: true)));
        var inCh = 64;
        layer1 = MakeLayer(ref inCh, 64, blocks[0], 1);
        layer2 = MakeLayer(ref inCh, 128, blocks[1], 2);
        layer3 = MakeLayer(ref inCh, 256, blocks[2], 2);
        layer4 = MakeLayer(ref inCh, 512, blocks[3], 2);
        last_linear = nn.Linear(2048, Ich.Core.HemorrhageClasses.Count);
        RegisterComponents();
        InitializeWeights();
    }

    protected override Tensor Body(Tensor x) =>
        layer4.call(layer3.call(layer2.call(layer1.call(layer0.call(x)))));

    public override (Tensor Logits, Tensor Features) Head(Tensor featureMap)
    {
        var pooled = GlobalAvgPool(featureMap);
        return (last_linear.call(pooled), pooled);
    }

    private static Sequential MakeLayer(ref int inCh, int planes, int count, int stride)
    {
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i < count; i++)
        {
            blocks.Add(($"{i}", new Bottleneck(inCh, planes, i == 0 ? stride : 1)));
            inCh = planes * 4;
        }
        return nn.Sequential(blocks);
    }

    private sealed class Bottleneck : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1, conv2, conv3;
        private readonly BatchNorm2d bn1, bn2, bn3;
        private readonly SeModule se_module;
        private readonly Sequential? downsample;

        public Bottleneck(int inCh, int planes, int stride) : base(nameof(Bottleneck))
        {
            var width = planes * BaseWidth / 64 * Groups;
            conv1 = Conv(inCh, width, 1);
            bn1 = Bn(width);
            conv2 = Conv(width, width, 3, stride, 1, Groups);
            bn2 = Bn(width);
            conv3 = Conv(width, planes * 4, 1);
            bn3 = Bn(planes * 4);
            se_module = new SeModule(planes * 4);
            if (stride != 1 || inCh != planes * 4)
                downsample = nn.Sequential(("0", Conv(inCh, planes * 4, 1, stride)), ("1", Bn(planes * 4)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = nn.functional.relu(bn1.call(conv1.call(x)), inplace: true);
            y = nn.functional.relu(bn2.call(conv2.call(y)), inplace: true);
            y = bn3.call(conv3.call(y));
            var residual = downsample is null ? x : downsample.call(x);
            return nn.functional.relu(se_module.call(y).add_(residual, NativeScalars.One), inplace: true);
        }
    }

    private sealed class SeModule : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d fc1, fc2;

        public SeModule(int channels) : base(nameof(SeModule))
        {
            fc1 = Conv(channels, channels / Reduction, 1, bias: true);
            fc2 = Conv(channels / Reduction, channels, 1, bias: true);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var s = nn.functional.adaptive_avg_pool2d(x, [1, 1]);
            s = fc2.call(nn.functional.relu(fc1.call(s), inplace: true)).sigmoid();
            return x * s;
        }
    }
}
