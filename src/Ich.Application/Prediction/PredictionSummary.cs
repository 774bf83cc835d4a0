using Ich.Inference.Pipeline;

namespace Ich.Application.Prediction;

/// <summary>The few numbers of one scan that outlive it (no per-slice arrays).</summary>
/// <param name="Index">Position in the run, 0-based.</param>
/// <param name="ScanId">Scan ID (or a name from the source path).</param>
/// <param name="Source">The input path.</param>
/// <param name="Status">Predicted or failed.</param>
/// <param name="Slices">Slice count, when known.</param>
/// <param name="ScanMax">Per class, the maximum over slices (empty when failed).</param>
/// <param name="Flags">Per class, the maximum reached the threshold (empty when failed).</param>
/// <param name="MsPerSlice">Wall time per slice (NaN when failed).</param>
/// <param name="Error">Why it failed; null when predicted.</param>
public sealed record ScanSummary(int Index, string ScanId, string Source, ScanStatus Status, int? Slices, IReadOnlyList<float> ScanMax,
    IReadOnlyList<bool> Flags, double MsPerSlice, string? Error)
{
    /// <summary>The triage flag (the <c>any</c> class reached its threshold).</summary>
    public bool Triage => Flags.Count > 0 && Flags[0];

    internal static ScanSummary Of(ScanResult r) => r.Prediction is { } p
        ? new ScanSummary(r.Index, r.ScanId, r.Input.Source, ScanStatus.Predicted, p.Scan.Slices.Count, p.ScanMax, p.Flags,
            p.Timings.MsPerSlice(p.Scan.Slices.Count), null)
        : new ScanSummary(r.Index, r.ScanId, r.Input.Source, ScanStatus.Failed, r.Input.Scan?.Slices.Count, [], [], double.NaN, r.Error);
}

/// <summary>The end of a run: one small row per scan, counts and wall time.</summary>
/// <param name="Scans">Per scan, in input order.</param>
/// <param name="Elapsed">Wall time from model loading to the last scan.</param>
/// <param name="Interrupted">The run was cancelled; <paramref name="Scans"/> holds the scans finished before.</param>
public sealed record PredictionSummary(IReadOnlyList<ScanSummary> Scans, TimeSpan Elapsed, bool Interrupted)
{
    /// <summary>Scans predicted.</summary>
    public int Succeeded => Scans.Count(s => s.Status == ScanStatus.Predicted);
    /// <summary>Scans that failed.</summary>
    public int Failed => Scans.Count(s => s.Status == ScanStatus.Failed);
    /// <summary>Predicted scans flagged for triage.</summary>
    public int Flagged => Scans.Count(s => s.Triage);
}
