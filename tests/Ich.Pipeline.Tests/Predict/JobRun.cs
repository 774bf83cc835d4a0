using Ich.Application.Prediction;
using Ich.Application.Writers;
using Ich.Inference.Pipeline;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>Runs the prediction job of the application layer (as <c>ich predict</c> does) with the standard output folder.</summary>
internal static class JobRun
{
    public static PredictionSummary Paths(IReadOnlyList<string> paths, string outDir, string modelDir, PredictorOptions options, List<string>? warnings = null) =>
        new PredictionJob(warnings is null ? null : new ActionLogger(warnings.Add))
            .Run(new PredictionRequest(modelDir, PredictionOutputs.Standard(outDir)) { Paths = paths, Options = options, OutputFolder = outDir });

    public static PredictionSummary Scans(IReadOnlyList<ScanInput> scans, string outDir, string modelDir, PredictorOptions options) =>
        new PredictionJob().Run(new PredictionRequest(modelDir, PredictionOutputs.Standard(outDir)) { Scans = scans, Options = options, OutputFolder = outDir });
}
