using TorchSharp.Modules;
using static TorchSharp.torch;
using static Ich.Model.Cnn.Backbones.Layers;

namespace Ich.Model.Cnn.Backbones;

/// <summary>
/// DenseNet-121/169 with torchvision's parameter names (features.conv0/norm0, features.denseblockB.denselayerL.
/// norm1/conv1/norm2/conv2, features.transitionT.norm/conv, features.norm5, classifier), so a torchvision
/// state dict loads strictly. Head as the winning code (§1.4): features → ReLU → GAP → Linear(→6);
/// the feature vector is the post-ReLU GAP vector (1024 for 121, 1664 for 169).
/// </summary>
public sealed class DenseNet : SliceCnn
{
    private const int Growth = 32, BnSize = 4, InitFeatures = 64;
    private readonly Sequential features;
    private readonly Linear classifier;

    /// <param name="backbone">Registered name.</param>
    /// <param name="blockConfig">Layers per dense block: (6,12,24,16) for 121, (6,12,32,32) for 169.</param>
    public DenseNet(string backbone, int[] blockConfig)
        : base("DenseNet", backbone, FinalChannels(blockConfig), PaperNormalization.Mean, PaperNormalization.Std)
    {
        var parts = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv0", Conv(3, InitFeatures, 7, 2, 3)),
            ("norm0", Bn(InitFeatures)),
            ("relu0", nn.ReLU(inplace: true)),
            ("pool0", nn.MaxPool2d(3, 2, 1)),
        };
        var ch = InitFeatures;
        for (var b = 0; b < blockConfig.Length; b++)
        {
            parts.Add(($"denseblock{b + 1}", new DenseBlock(blockConfig[b], ch)));
            ch += blockConfig[b] * Growth;
            if (b == blockConfig.Length - 1) break;
            parts.Add(($"transition{b + 1}", nn.Sequential(
                ("norm", Bn(ch)), ("relu", nn.ReLU(inplace: true)), ("conv", Conv(ch, ch / 2, 1)), ("pool", nn.AvgPool2d(2, 2)))));
            ch /= 2;
        }
        parts.Add(("norm5", Bn(ch)));
        features = nn.Sequential(parts);
        classifier = nn.Linear(ch, Ich.Core.HemorrhageClasses.Count);
        RegisterComponents();
        InitializeWeights();
        using (no_grad()) nn.init.zeros_(classifier.bias!);
    }

    /// <summary>Number of channels after norm5.</summary>
    public static int FinalChannels(int[] blockConfig)
    {
        var ch = InitFeatures;
        for (var b = 0; b < blockConfig.Length; b++)
        {
            ch += blockConfig[b] * Growth;
            if (b < blockConfig.Length - 1) ch /= 2;
        }
        return ch;
    }

    /// <summary>Output of features.norm5 (before the head's ReLU), [N, C, h, w].</summary>
    protected override Tensor Body(Tensor x) => features.call(x);

    public override (Tensor Logits, Tensor Features) Head(Tensor featureMap)
    {
        var pooled = GlobalAvgPool(nn.functional.relu(featureMap));
        return (classifier.call(pooled), pooled);
    }

    private sealed class DenseBlock : nn.Module<Tensor, Tensor>
    {
        private readonly List<DenseLayer> _layers = [];

        public DenseBlock(int count, int inCh) : base(nameof(DenseBlock))
        {
            for (var i = 0; i < count; i++)
            {
                var layer = new DenseLayer(inCh + i * Growth);
                _layers.Add(layer);
                register_module($"denselayer{i + 1}", layer);
            }
        }

        public override Tensor forward(Tensor x)
        {
            var all = new List<Tensor> { x };
            foreach (var layer in _layers) all.Add(layer.call(cat(all, 1)));
            return cat(all, 1);
        }
    }

    private sealed class DenseLayer : nn.Module<Tensor, Tensor>
    {
        private readonly BatchNorm2d norm1, norm2;
        private readonly Conv2d conv1, conv2;

        public DenseLayer(int inCh) : base(nameof(DenseLayer))
        {
            norm1 = Bn(inCh);
            conv1 = Conv(inCh, BnSize * Growth, 1);
            norm2 = Bn(BnSize * Growth);
            conv2 = Conv(BnSize * Growth, Growth, 3, 1, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            var y = conv1.call(nn.functional.relu(norm1.call(x), inplace: true));
            return conv2.call(nn.functional.relu(norm2.call(y), inplace: true));
        }
    }
}
