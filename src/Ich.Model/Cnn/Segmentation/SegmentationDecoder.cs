using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Cnn.Segmentation;

/// <summary>
/// A light decoder for dense supervision (issue 12, item 2): from a backbone's last feature map [N, C, h, w]
/// (<see cref="SliceCnn.FeatureMap"/>) to blood-mask logits [N, 1, 4h, 4w] — 1×1 conv to 64 channels, then two
/// (×2 bilinear upsampling, 3×3 conv, ReLU) steps and a 1×1 conv to one channel. No normalisation layers, so each
/// sample's output depends on that sample alone (a sample without a known mask then contributes exactly zero
/// mask gradient). It trains beside the classification head; the classifier's checkpoints and outputs are unchanged
/// whether it exists or not. A model folder may ship it per fold (model.json <c>decoders</c>) so that predictions carry a
/// predicted mask as a second explanation beside Grad-CAM.
/// </summary>
public sealed class SegmentationDecoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Output resolution relative to the feature map.</summary>
    public const int Upsampling = 4;

    private readonly Conv2d reduce, refine1, refine2, output;

    public SegmentationDecoder(long inChannels, long seed) : base(nameof(SegmentationDecoder))
    {
        Runtime.TorchSeed.Set(seed);
        reduce = nn.Conv2d(inChannels, 64, 1);
        refine1 = nn.Conv2d(64, 32, 3, padding: 1);
        refine2 = nn.Conv2d(32, 16, 3, padding: 1);
        output = nn.Conv2d(16, 1, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor featureMap)
    {
        var x = nn.functional.relu(reduce.call(featureMap));
        x = nn.functional.relu(refine1.call(Up(x)));
        x = nn.functional.relu(refine2.call(Up(x)));
        return output.call(x);
    }

    private static Tensor Up(Tensor x) =>
        nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: false);
}
