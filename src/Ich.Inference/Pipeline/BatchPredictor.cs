using Ich.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Ich.Inference.Pipeline;

/// <summary>
/// Runs <see cref="ScanPredictor"/> over many inputs; one bad scan never stops the others. Input errors
/// (typed <see cref="IchException"/>s) and unexpected failures are both recorded per scan, the latter
/// marked as internal errors. Native retries are logged as warnings to <paramref name="log"/>.
/// </summary>
public sealed class BatchPredictor(ScanPredictor predictor, ILogger? log = null)
{
    /// <summary>
    /// Predicts the inputs one at a time, lazily: each outcome is yielded as soon as its scan is done and
    /// nothing is kept here afterwards, so a caller that lets go of an outcome holds at most one scan's arrays.
    /// </summary>
    public IEnumerable<ScanOutcome> Predict(IEnumerable<ScanInput> inputs, CancellationToken cancel = default)
    {
        foreach (var input in inputs)
        {
            cancel.ThrowIfCancellationRequested();
            yield return PredictOne(input, cancel);
        }
    }

    private ScanOutcome PredictOne(ScanInput input, CancellationToken cancel)
    {
        if (input.Scan is null) return new ScanOutcome(input, null, input.Error ?? "no scan");
        // Predicting a scan is a pure function of the scan and the model: rerunning it after a transient
        // libtorch error (NativeRetry) gives exactly the undisturbed result, and the retry is reported.
        try { return new ScanOutcome(input, Ich.Model.Runtime.NativeRetry.Run($"scan {input.Scan.ScanId}", () => predictor.Predict(input.Scan, cancel), log), null); }
        catch (IchException e) { return new ScanOutcome(input, null, e.Message); }
        catch (OperationCanceledException) { throw; }
        catch (Exception e) when (e is not OutOfMemoryException)
        { return new ScanOutcome(input, null, $"internal error ({e.GetType().Name}): {e.Message.Split('\n')[0].Trim()}"); }
    }
}
