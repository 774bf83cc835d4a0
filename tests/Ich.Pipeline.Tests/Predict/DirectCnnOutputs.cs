using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Model.Cnn;
using Ich.Model.Folder;
using Ich.Model.Sequence;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// A backbone's outputs computed straight from its checkpoint files, without <c>ScanPredictor</c>: each fold on the whole
/// scan in one batch (whole-slice framing), the independent reference the predictor's tests compare against.
/// </summary>
internal static class DirectCnnOutputs
{
    /// <returns>Per fold: sigmoid probabilities [N, 6] and features [N, D], row-major.</returns>
    public static List<(float[] Probabilities, float[] Features)> PerFold(string modelDir, BackboneEntry backbone, HuImage[] hu)
    {
        var result = new List<(float[], float[])>();
        foreach (var file in backbone.Checkpoints)
        {
            using var cnn = CnnFactory.Create(backbone.Architecture, 0);
            StateFile.Load(cnn, Path.Combine(modelDir, file));
            cnn.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var x = CnnInputs.ForEvaluation(hu.Select(h => NetworkInput.FromHu(h, backbone.ImageSize)).ToList(), backbone.ImageSize, backbone.CenterCrop);
            var (logits, features) = cnn.ForwardWithFeatures(x);
            result.Add((logits.sigmoid().data<float>().ToArray(), features.contiguous().data<float>().ToArray()));
        }
        return result;
    }
}
