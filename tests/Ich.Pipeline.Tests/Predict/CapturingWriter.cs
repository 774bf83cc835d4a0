using Ich.Application.Prediction;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>A prediction output that keeps every scan result in memory, for tests that inspect <c>ScanPrediction</c> itself.</summary>
internal sealed class CapturingWriter(List<ScanResult> into) : IPredictionOutputWriter
{
    public void Begin(PredictionRunInfo run) { }
    public void WriteScan(ScanResult scan) => into.Add(scan);
    public void Complete(PredictionSummary summary) { }
}
