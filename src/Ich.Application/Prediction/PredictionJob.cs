using System.Diagnostics;
using Ich.Model.Folder;
using Ich.Inference.Input;
using Ich.Inference.Pipeline;
using Ich.Model.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ich.Application.Prediction;

/// <summary>
/// The one way to predict: resolve the inputs, load the model once, predict scan by scan and hand each
/// finished scan to every <see cref="IPredictionOutputWriter"/> before the next one starts. Nothing of a
/// scan is kept afterwards except its <see cref="ScanSummary"/>, so peak memory is that of the largest
/// scan, not of the batch. One bad scan never stops the others. <c>ich predict</c>, the held-out check
/// of <c>ich train all</c> and a service call this; none of them writes outputs itself.
/// </summary>
/// <param name="logger">Warnings about inputs (skipped files, excluded slices) and native retries.</param>
public sealed class PredictionJob(ILogger? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger.Instance;

    /// <summary>Loads <see cref="PredictionRequest.ModelDir"/> on <see cref="PredictionRequest.Device"/> and runs.</summary>
    /// <exception cref="Ich.Core.Errors.ConfigException">Bad model folder, device or output folder.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the writers were completed with the scans finished before.</exception>
    public PredictionSummary Run(PredictionRequest request, IProgress<PredictionProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var device = TorchRuntime.ResolveDevice(request.Device);
        using var model = ModelBundle.Load(request.ModelDir, device);
        return Run(model, request, progress, cancel);
    }

    /// <summary>Runs with a model already loaded (a service keeps one across requests).</summary>
    public PredictionSummary Run(ModelBundle model, PredictionRequest request, IProgress<PredictionProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(request);
        if (request.OutputFolder is { } outDir) OutputFolderGuard.Check(request.Paths, outDir);
        var clock = Stopwatch.StartNew();
        var resolved = request.Paths.Count == 0 ? [] : new InputResolver(log).Resolve(request.Paths);
        var inputs = resolved.Concat(request.Scans).ToList();
        var run = new PredictionRunInfo(model.Manifest, inputs.Count, request.Options, request.OutputFolder, DateTimeOffset.UtcNow);
        var predictor = new BatchPredictor(new ScanPredictor(model, request.Options), log);
        var summaries = new List<ScanSummary>(inputs.Count);
        try
        {
            foreach (var w in request.Writers) w.Begin(run);
            var index = 0;
            foreach (var outcome in predictor.Predict(inputs, cancel))
            {
                var result = ScanResult.From(index++, outcome);
                foreach (var w in request.Writers) w.WriteScan(result);
                var summary = ScanSummary.Of(result);
                summaries.Add(summary);
                progress?.Report(new PredictionProgress(index, run.InputCount, summary));
                ReleaseScan();
            }
            var final = new PredictionSummary(summaries, clock.Elapsed, Interrupted: false);
            Complete(request.Writers, final);
            return final;
        }
        catch (OperationCanceledException)
        {
            // Close the outputs over the scans already written so they stay readable, then report the interruption.
            Complete(request.Writers, new PredictionSummary(summaries, clock.Elapsed, Interrupted: true));
            throw;
        }
        finally
        {
            foreach (var w in request.Writers) (w as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// A finished scan's arrays (HU slices, Grad-CAM maps, overlay PNGs: tens of MB) live on the large-object
    /// heap, which only a full collection frees; left to its own budget the GC lets that heap grow over several
    /// scans before collecting, so the peak would still creep up with the batch. One blocking full collection
    /// per scan (milliseconds, against seconds of prediction) frees them before the next scan allocates its own. Freed is
    /// not yet reused: at default settings the GC kept that memory committed and took new memory for a larger next scan
    /// (a batch peaked at 1.6× its largest scan); the memory-conserving GC mode every executable runs in
    /// (Directory.Build.props) makes it reuse it, and a host embedding this job needs the same setting.
    /// </summary>
    private static void ReleaseScan() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

    private static void Complete(IReadOnlyList<IPredictionOutputWriter> writers, PredictionSummary summary)
    {
        foreach (var w in writers) w.Complete(summary);
    }
}
