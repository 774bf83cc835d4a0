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
/// <param name="Dicom">DICOM input: the study and series the scan came from (null for other inputs).</param>
public sealed record ScanInput(string Source, ScanRecord? Scan, string? Error, bool SliceIdsAreSopInstanceUids = false, string? SeriesDecision = null,
    DicomIdentity? Dicom = null)
{
    public static ScanInput Failed(string source, string error) => new(source, null, error);
}

/// <summary>
/// Where a DICOM scan came from, for outputs a PACS can join on (scans.csv, DICOM results).
/// Slice SOP Instance UIDs are the scan's slice IDs (<see cref="ScanInput.SliceIdsAreSopInstanceUids"/>).
/// </summary>
/// <param name="StudyInstanceUid">(0020,000D).</param>
/// <param name="SeriesInstanceUid">(0020,000E) of the series that was predicted.</param>
/// <param name="AccessionNumber">(0008,0050), null when absent or empty.</param>
public sealed record DicomIdentity(string StudyInstanceUid, string SeriesInstanceUid, string? AccessionNumber = null);

/// <summary>The result for one input: a prediction, or the error that stopped it.</summary>
public sealed record ScanOutcome(ScanInput Input, ScanPrediction? Prediction, string? Error)
{
    public bool Succeeded => Prediction is not null;

    /// <summary>The scan ID, or a name derived from the source path for inputs that never became scans.</summary>
    public string ScanId => Input.Scan?.ScanId ?? Path.GetFileName(Input.Source.TrimEnd('/', '\\'));
}
