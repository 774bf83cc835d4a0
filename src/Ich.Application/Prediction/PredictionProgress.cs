namespace Ich.Application.Prediction;

/// <summary>How a scan ended.</summary>
public enum ScanStatus
{
    /// <summary>Predicted.</summary>
    Predicted,
    /// <summary>Not predicted; the reason is in the error text.</summary>
    Failed,
}

/// <summary>Reported after every scan of a run.</summary>
/// <param name="Done">Scans finished so far (this one included).</param>
/// <param name="Total">Scans in the run.</param>
/// <param name="Scan">Small per-scan numbers of the scan just finished.</param>
public sealed record PredictionProgress(int Done, int Total, ScanSummary Scan);
