using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ich.Model.Cnn.Backbones;

/// <summary>Small building blocks shared by the backbones.</summary>
internal static class Layers
{
    public static Conv2d Conv(long inCh, long outCh, long kernel, long stride = 1, long padding = 0, long groups = 1, bool bias = false) =>
        nn.Conv2d(inCh, outCh, kernel, stride: stride, padding: padding, groups: groups, bias: bias);

    public static BatchNorm2d Bn(long channels) => nn.BatchNorm2d(channels);

    /// <summary>Global average pool [N, C, h, w] → [N, C].</summary>
    public static Tensor GlobalAvgPool(Tensor x) => nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);
}
