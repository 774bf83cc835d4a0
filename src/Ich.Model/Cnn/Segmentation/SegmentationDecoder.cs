using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Cnn.Segmentation;

/// <summary>
/// A light decoder for dense supervision (issue 12, item 2): from a backbone's last feature map [N, C, h, w]
/// (<see cref="SliceCnn.FeatureMap"/>) to mask logits [N, C, 4h, 4w] — 1×1 conv to 64 channels, then two
/// (×2 bilinear upsampling, 3×3 conv, ReLU) steps and a 1×1 conv to the output channels: channel 0 is blood of any kind;
/// a decoder trained with <c>maskChannels: "subtypes"</c> has five more, one per subtype in class order (epidural …
/// subdural), so the mask loss can teach the features where each kind of bleed is. No normalisation layers, so each
/// sample's output depends on that sample alone (a sample without a known mask then contributes exactly zero
/// mask gradient). It trains beside the classification head; the classifier's checkpoints and outputs are unchanged
/// whether it exists or not. A model folder may ship it per fold (model.json <c>decoders</c>) so that predictions carry a
/// predicted mask as a second explanation beside Grad-CAM.
/// </summary>
public sealed class SegmentationDecoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Output resolution relative to the feature map.</summary>
    public const int Upsampling = 4;

    /// <summary>The output channel of blood of any subtype (the one a model folder ships and predictions show).</summary>
    public const int BloodChannel = 0;

    private readonly Conv2d reduce, refine1, refine2, output;

    /// <param name="inChannels">The backbone feature map's channels (<see cref="DecoderInput.FeatureMapChannels"/>).</param>
    /// <param name="seed">Initialisation seed.</param>
    /// <param name="outChannels">1 (blood) or 6 (blood, then the five subtypes).</param>
    public SegmentationDecoder(long inChannels, long seed, int outChannels = 1) : base(nameof(SegmentationDecoder))
    {
        if (outChannels < 1) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "at least one output channel");
        OutChannels = outChannels;
        Runtime.TorchSeed.Set(seed);
        reduce = nn.Conv2d(inChannels, 64, 1);
        refine1 = nn.Conv2d(64, 32, 3, padding: 1);
        refine2 = nn.Conv2d(32, 16, 3, padding: 1);
        output = nn.Conv2d(16, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>
    /// Copies this decoder's weights into <paramref name="target"/>, a one-channel decoder for the same feature map, keeping
    /// only the blood channel's output weights: the shipped decoder's output is exactly this one's channel 0.
    /// </summary>
    public void CopyBloodChannelInto(SegmentationDecoder target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.OutChannels != 1) throw new ArgumentException("the target must have one output channel", nameof(target));
        using var noGrad = no_grad();
        foreach (var (name, source) in named_parameters())
        {
            var destination = target.get_parameter(name) ?? throw new ArgumentException($"the target has no parameter {name}", nameof(target));
            var value = name.StartsWith("output.", StringComparison.Ordinal) ? source.narrow(0, BloodChannel, 1) : source;
            destination.copy_(value);
        }
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
