using Ich.Core.Errors;

namespace Ich.Inference.Pipeline;

/// <summary>
/// Runs <see cref="ScanPredictor"/> over many inputs; one bad scan never stops the others. Input errors
/// (typed <see cref="IchException"/>s) and unexpected failures are both recorded per scan, the latter
/// marked as internal errors.
/// </summary>
public sealed class BatchPredictor(ScanPredictor predictor, Action<string>? log = null)
{
    public IReadOnlyList<ScanOutcome> Run(IEnumerable<ScanInput> inputs, Action<ScanOutcome>? onScan = null, CancellationToken cancel = default)
    {
        var outcomes = new List<ScanOutcome>();
        foreach (var input in inputs)
        {
            cancel.ThrowIfCancellationRequested();
            ScanOutcome outcome;
            if (input.Scan is null) outcome = new ScanOutcome(input, null, input.Error ?? "no scan");
            else
            {
                // Predicting a scan is a pure function of the scan and the model: rerunning it after a transient
                // libtorch error (NativeRetry) gives exactly the undisturbed result, and the retry is reported.
                try { outcome = new ScanOutcome(input, Ich.Model.Runtime.NativeRetry.Run($"scan {input.Scan.ScanId}", () => predictor.Predict(input.Scan, cancel), log), null); }
                catch (IchException e) { outcome = new ScanOutcome(input, null, e.Message); }
                catch (OperationCanceledException) { throw; }
                catch (Exception e) when (e is not OutOfMemoryException)
                { outcome = new ScanOutcome(input, null, $"internal error ({e.GetType().Name}): {e.Message.Split('\n')[0].Trim()}"); }
            }
            outcomes.Add(outcome);
            onScan?.Invoke(outcome);
        }
        return outcomes;
    }
}
