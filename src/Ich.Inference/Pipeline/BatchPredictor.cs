using Ich.Core.Errors;

namespace Ich.Inference.Pipeline;

/// <summary>
/// Runs <see cref="ScanPredictor"/> over many inputs; one bad scan never stops the others. Input errors
/// (typed <see cref="IchException"/>s) and unexpected failures are both recorded per scan, the latter
/// marked as internal errors.
/// </summary>
public sealed class BatchPredictor(ScanPredictor predictor)
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
                try { outcome = new ScanOutcome(input, predictor.Predict(input.Scan, cancel), null); }
                catch (IchException e) { outcome = new ScanOutcome(input, null, e.Message); }
                catch (OperationCanceledException) { throw; }
                catch (Exception e) when (e is not OutOfMemoryException)
                { outcome = new ScanOutcome(input, null, $"internal error ({e.GetType().Name}): {e.Message}"); }
            }
            outcomes.Add(outcome);
            onScan?.Invoke(outcome);
        }
        return outcomes;
    }
}
