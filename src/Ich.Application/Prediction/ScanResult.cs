using Ich.Core.Scans;
using Ich.Inference.Pipeline;

namespace Ich.Application.Prediction;

/// <summary>
/// One finished input, as every writer receives it. For a predicted scan, <see cref="Prediction"/> holds the
/// per-slice probabilities ([L, 6], class order of <c>HemorrhageClasses</c>, slice 0 = lowest), scan maxima,
/// flags, the Grad-CAM maps with the HU slices they belong to, timings and notes; every slice can be
/// re-read through <see cref="SliceRecord.LoadHu"/> of <see cref="ScanPrediction.Scan"/>. Valid only during
/// <see cref="IPredictionOutputWriter.WriteScan"/>: the job lets go of it afterwards.
/// </summary>
/// <param name="Index">Position in the run, 0-based, input order.</param>
/// <param name="Input">The resolved input (source path, series decision, DICOM identity).</param>
/// <param name="Prediction">The prediction, or null when the scan failed.</param>
/// <param name="Error">Why the scan failed, naming the file and the reason; null when predicted.</param>
public sealed record ScanResult(int Index, ScanInput Input, ScanPrediction? Prediction, string? Error)
{
    /// <summary>True when the scan was predicted.</summary>
    public bool Succeeded => Prediction is not null;

    /// <summary>The scan ID, or a name derived from the source path for inputs that never became scans.</summary>
    public string ScanId => Input.Scan?.ScanId ?? Path.GetFileName(Input.Source.TrimEnd('/', '\\'));

    /// <summary>Study, series and accession number of a DICOM scan; null for other inputs.</summary>
    public DicomIdentity? Dicom => Input.Dicom;

    /// <summary>The SOP Instance UID of every slice (slice order), for DICOM inputs; empty otherwise.</summary>
    public IReadOnlyList<string> SopInstanceUids =>
        Input.SliceIdsAreSopInstanceUids && Input.Scan is { } scan ? scan.Slices.Select(s => s.SliceId).ToList() : [];

    internal static ScanResult From(int index, ScanOutcome outcome) => new(index, outcome.Input, outcome.Prediction, outcome.Error);
}
