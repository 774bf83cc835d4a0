using Ich.Model.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Ich.Model.Cnn.Backbones.Layers;

namespace Ich.Model.Cnn.Backbones;

/// <summary>
/// ResNet-18/34 (basic blocks) with torchvision's parameter names (conv1, bn1, layerN.M.conv1/bn1/conv2/bn2,
/// layerN.0.downsample.0/1, fc), so torchvision state dicts load strictly. Head: GAP → fc(→6); feature =
/// GAP vector (512). With <paramref name="cntkPadding"/> the strided layers pad asymmetrically (begin 3/1,
/// end 2/0) as in the ImageNet ResNet18 ONNX graph of Microsoft.ML.DnnImageFeaturizer.ResNet18 (which also has
/// blocks 2, 2, 2, 3). Three block counts build a network cut after its third stage (feature = 256-d GAP).
/// </summary>
public sealed class ResNet : SliceCnn
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1, layer2, layer3;
    private readonly Sequential? layer4;
    private readonly Linear fc;
    private readonly bool _cntk;

    /// <param name="backbone">Registered name.</param>
    /// <param name="blocks">Blocks per stage: [2,2,2,2] (ResNet-18) or [3,4,6,3] (ResNet-34); three entries stop after layer3.</param>
    /// <param name="cntkPadding">Asymmetric padding of the ONNX-imported ImageNet ResNet18.</param>
    /// <param name="mean">Input normalisation mean (on the [0, 1] input).</param>
    /// <param name="std">Input normalisation std.</param>
    public ResNet(string backbone, int[] blocks, bool cntkPadding, float[] mean, float[] std)
        : base("ResNet", backbone, blocks.Length == 4 ? 512 : 256, mean, std)
    {
        if (blocks.Length is not (3 or 4)) throw new ArgumentException("ResNet needs 3 or 4 stages", nameof(blocks));
        _cntk = cntkPadding;
        conv1 = Conv(3, 64, 7, 2, cntkPadding ? 0 : 3);
        bn1 = Bn(64);
        layer1 = MakeLayer(64, 64, blocks[0], 1);
        layer2 = MakeLayer(64, 128, blocks[1], 2);
        layer3 = MakeLayer(128, 256, blocks[2], 2);
        if (blocks.Length == 4) layer4 = MakeLayer(256, 512, blocks[3], 2);
        fc = nn.Linear(FeatureDim, Ich.Core.HemorrhageClasses.Count);
        RegisterComponents();
        InitializeWeights();
    }

    protected override Tensor Body(Tensor x)
    {
        x = _cntk ? conv1.call(nn.functional.pad(x, [3, 2, 3, 2])) : conv1.call(x);
        x = nn.functional.relu(bn1.call(x), inplace: true);
        // After ReLU every value is ≥ 0, so zero padding equals the -inf padding of a max pool.
        x = _cntk
            ? nn.functional.max_pool2d(nn.functional.pad(x, [1, 0, 1, 0]), 3, 2)
            : nn.functional.max_pool2d(x, 3, 2, 1);
        x = layer1.call(x);
        x = layer2.call(x);
        x = layer3.call(x);
        return layer4 is null ? x : layer4.call(x);
    }

    public override (Tensor Logits, Tensor Features) Head(Tensor featureMap)
    {
        var pooled = GlobalAvgPool(featureMap);
        return (fc.call(pooled), pooled);
    }

    private Sequential MakeLayer(int inCh, int outCh, int count, int stride)
    {
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (var i = 0; i < count; i++)
            blocks.Add(($"{i}", new BasicBlock(i == 0 ? inCh : outCh, outCh, i == 0 ? stride : 1, _cntk)));
        return nn.Sequential(blocks);
    }

    private sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1, conv2;
        private readonly BatchNorm2d bn1, bn2;
        private readonly Sequential? downsample;
        private readonly bool _padEnd0;

        public BasicBlock(int inCh, int outCh, int stride, bool cntk) : base(nameof(BasicBlock))
        {
            _padEnd0 = cntk && stride == 2;
            conv1 = Conv(inCh, outCh, 3, stride, _padEnd0 ? 0 : 1);
            bn1 = Bn(outCh);
            conv2 = Conv(outCh, outCh, 3, 1, 1);
            bn2 = Bn(outCh);
            if (stride != 1 || inCh != outCh)
                downsample = nn.Sequential(("0", Conv(inCh, outCh, 1, stride)), ("1", Bn(outCh)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = conv1.call(_padEnd0 ? nn.functional.pad(x, [1, 0, 1, 0]) : x);
            y = nn.functional.relu(bn1.call(y), inplace: true);
            y = bn2.call(conv2.call(y));
            var identity = downsample is null ? x : downsample.call(x);
            return nn.functional.relu(y.add_(identity, NativeScalars.One), inplace: true);
        }
    }
}
