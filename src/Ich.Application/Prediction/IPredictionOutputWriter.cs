namespace Ich.Application.Prediction;

/// <summary>
/// One output of a prediction run (CSV files, the HTML report, overlays, DICOM results, a viewer, a
/// service's response). <see cref="PredictionJob"/> calls <see cref="Begin"/> once, then
/// <see cref="WriteScan"/> once per input in input order as soon as that scan is finished, then
/// <see cref="Complete"/> once (also after an interruption, with <see cref="PredictionSummary.Interrupted"/>
/// set, so what was written stays well-formed). A writer must not keep a <see cref="ScanResult"/>'s
/// arrays after <see cref="WriteScan"/> returns: the job's memory stays bounded by one scan only if every
/// writer lets go. Writers run in the order given; an exception from a writer stops the run (an output
/// that cannot be written is not a per-scan failure). A writer that also implements <see cref="IDisposable"/>
/// is disposed when the run ends, whatever happened.
/// </summary>
public interface IPredictionOutputWriter
{
    /// <summary>The run starts: model identity, thresholds, input count.</summary>
    void Begin(PredictionRunInfo run);

    /// <summary>One scan is finished (predicted or failed).</summary>
    void WriteScan(ScanResult scan);

    /// <summary>Every scan has been written (or the run was interrupted).</summary>
    void Complete(PredictionSummary summary);
}
