using Ich.Core.Scans;

namespace Ich.Inference.Pipeline;

/// <summary>
/// One scan found in the user's inputs, or the reason none could be made from a path. Input readers
/// (DICOM series assembly, NIfTI, PhysioNet) produce these; the predictor never opens files itself.
/// </summary>
/// <param name="Source">The path the scan (or error) came from.</param>
/// <param name="Scan">The scan, or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why no scan could be read, naming the file and the reason.</param>
/// <param name="SliceIdsAreSopInstanceUids">DICOM input: slice IDs are SOPInstanceUIDs (then submission.csv is written).</param>
/// <param name="SeriesDecision">How the series was chosen (shown in the report), when there was a choice.</param>
public sealed record ScanInput(string Source, ScanRecord? Scan, string? Error, bool SliceIdsAreSopInstanceUids = false, string? SeriesDecision = null)
{
    public static ScanInput Failed(string source, string error) => new(source, null, error);
}

/// <summary>The result for one input: a prediction, or the error that stopped it.</summary>
public sealed record ScanOutcome(ScanInput Input, ScanPrediction? Prediction, string? Error)
{
    public bool Succeeded => Prediction is not null;

    /// <summary>The scan ID, or a name derived from the source path for inputs that never became scans.</summary>
    public string ScanId => Input.Scan?.ScanId ?? Path.GetFileName(Input.Source.TrimEnd('/', '\\'));
}
