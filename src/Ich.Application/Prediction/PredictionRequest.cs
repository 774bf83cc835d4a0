using Ich.Inference.Pipeline;

namespace Ich.Application.Prediction;

/// <summary>What one prediction run is asked to do.</summary>
/// <param name="ModelDir">Model folder holding model.json (ignored by <see cref="PredictionJob.Run(Ich.Model.Folder.ModelBundle, PredictionRequest, IProgress{PredictionProgress}?, CancellationToken)"/>).</param>
/// <param name="Writers">Outputs, called in this order for every scan (see <see cref="PredictionOutputs.Standard"/>).</param>
public sealed record PredictionRequest(string ModelDir, IReadOnlyList<IPredictionOutputWriter> Writers)
{
    /// <summary>Files, folders, .zip archives, NIfTI files, PhysioNet folders to resolve into scans.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Scans already in hand (e.g. received by a service, or built in memory), predicted after those of <see cref="Paths"/>.</summary>
    public IReadOnlyList<ScanInput> Scans { get; init; } = [];

    /// <summary>Batch size, Grad-CAM mode.</summary>
    public PredictorOptions Options { get; init; } = new();

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// The folder the writers write into, when there is one: refused when it is an existing file or lies
    /// inside an input folder (inputs are never written to). Null for writers that write elsewhere.
    /// </summary>
    public string? OutputFolder { get; init; }
}
