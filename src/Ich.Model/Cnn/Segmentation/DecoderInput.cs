using static TorchSharp.torch;

namespace Ich.Model.Cnn.Segmentation;

/// <summary>What a <see cref="SegmentationDecoder"/> must be built for: the channel count of its backbone's feature map.</summary>
public static class DecoderInput
{
    /// <summary>
    /// Channels of <paramref name="cnn"/>'s last feature map, from one eval-mode pass on zeros (batch-norm layers in training
    /// mode would reject a single sample); the module's training/eval mode is restored afterwards.
    /// </summary>
    public static long FeatureMapChannels(SliceCnn cnn, int imageSize, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(cnn);
        var wasTraining = cnn.training;
        cnn.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return cnn.FeatureMap(zeros(1, 3, imageSize, imageSize, device: device)).shape[1];
        }
        finally
        {
            if (wasTraining) cnn.train();
        }
    }
}
