using Ich.Model.Folder;
using Ich.Inference.Pipeline;

namespace Ich.Application.Prediction;

/// <summary>What every writer learns when a run starts.</summary>
/// <param name="Model">The loaded model's manifest: name, version, intended use, operating point (thresholds in class order via <c>OperatingPoint.InClassOrder</c>).</param>
/// <param name="InputCount">How many scans (or failed inputs) will be written.</param>
/// <param name="Options">Batch size and Grad-CAM mode of the run.</param>
/// <param name="OutputFolder">The request's output folder, when it has one.</param>
/// <param name="StartedUtc">When the run started.</param>
public sealed record PredictionRunInfo(ModelManifest Model, int InputCount, PredictorOptions Options, string? OutputFolder, DateTimeOffset StartedUtc)
{
    /// <summary>Per class (class order), the threshold on the scan maximum that sets a flag.</summary>
    public IReadOnlyList<double?> Thresholds { get; } = Model.OperatingPoint.InClassOrder;
}
