using Ich.Application.Prediction;
using Ich.Application.Writers;
using Ich.Core;
using Ich.Core.Errors;
using Ich.DicomResults.Input;
using Ich.Model.Folder;
using Ich.Model.Runtime;
using Ich.Serve.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ich.Cli.Serving;

/// <summary>
/// The service's study processor: the same prediction job as <c>ich predict --dicom</c>, with the model loaded
/// once per process. Each study's outputs (CSV files, the report, the study viewer and the SR/KOS/SC objects)
/// go to the attempt's work folder, which the service publishes atomically. Calls are serialised: one libtorch
/// model serves every worker loop of the process, and the CPU is the bottleneck anyway.
/// </summary>
internal sealed class PredictionStudyProcessor : IStudyProcessor, IUsesServiceLogging, IDisposable
{
    private ILogger _log = NullLogger.Instance;
    private readonly ModelBundle _model;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public PredictionStudyProcessor(string modelDir)
    {
        TorchRuntime.Initialize();
        _model = ModelBundle.Load(modelDir, TorchRuntime.ResolveDevice("cpu"));
    }

    public void UseLogging(ILoggerFactory loggers) => _log = loggers.CreateLogger<PredictionJob>();

    public string ModelVersion => $"{_model.Manifest.Name} {_model.Manifest.Version}";

    public async Task<StudyResult> ProcessAsync(StudyWorkItem item, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(item);
        await _gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Predict(item, cancel), cancel).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private StudyResult Predict(StudyWorkItem item, CancellationToken cancel)
    {
        var capture = new FirstScanCapture();
        var writers = PredictionOutputs.Standard(item.WorkFolder);
        var dicom = new DicomResultsWriter(item.WorkFolder, CaptureMode.Keys);
        writers.Add(dicom);
        writers.Add(capture);
        var request = new PredictionRequest(_model.Folder, writers) { Paths = [item.InstanceFolder], OutputFolder = item.WorkFolder };
        new PredictionJob(_log).Run(_model, request, progress: null, cancel);
        var result = capture.Result
            ?? throw new ModelInputException($"study {item.StudyInstanceUid}: {capture.Error ?? "no CT series could be predicted"}");
        // A study whose viewer page (the report links to it) or DICOM results (they go back to the PACS) could not
        // be written is not done: fail the attempt with every reason, as `ich predict` reports them and exits 1.
        var failures = writers.OfType<ViewerWriter>().SelectMany(w => w.Failures).Concat(dicom.Failures).ToList();
        if (failures.Count > 0) throw new ResultInputException($"study {item.StudyInstanceUid}: {string.Join("; ", failures)}");
        var dicomFolder = Path.Combine(item.WorkFolder, "dicom");
        var dicomFiles = Directory.Exists(dicomFolder)
            ? Directory.GetFiles(dicomFolder, "*.dcm", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(item.WorkFolder, f)).Order(StringComparer.Ordinal).ToList()
            : [];
        return result with { ModelVersion = ModelVersion, DicomFiles = dicomFiles };
    }

    public void Dispose()
    {
        _model.Dispose();
        _gate.Dispose();
    }

    /// <summary>Keeps the numbers of the study's predicted scan (the series the assembler chose) as the service's result.</summary>
    private sealed class FirstScanCapture : IPredictionOutputWriter
    {
        public StudyResult? Result { get; private set; }

        public string? Error { get; private set; }

        public void Begin(PredictionRunInfo run)
        {
        }

        public void WriteScan(ScanResult scan)
        {
            if (Result is not null) return;
            if (scan.Prediction is not { } p)
            {
                Error ??= scan.Error;
                return;
            }
            var k = HemorrhageClasses.Count;
            var names = HemorrhageClasses.Names;
            var slices = Enumerable.Range(0, p.Scan.Slices.Count).Select(i => new SliceProbabilities(i, p.Scan.Slices[i].SliceId,
                Enumerable.Range(0, k).ToDictionary(c => names[c], c => (double)p.Probabilities[i * k + c]))).ToList();
            Result = new StudyResult(
                ModelVersion: "",
                Max: Enumerable.Range(0, k).ToDictionary(c => names[c], c => (double)p.ScanMax[c]),
                FlaggedClasses: Enumerable.Range(0, k).Where(c => p.Flags[c]).Select(c => names[c]).ToList(),
                Triage: p.Triage,
                Slices: slices,
                ReportFile: ViewerWriter.RelativePath(scan.ScanId),
                DicomFiles: []);
        }

        public void Complete(PredictionSummary summary)
        {
        }
    }
}
