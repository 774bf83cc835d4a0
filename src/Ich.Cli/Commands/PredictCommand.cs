using System.CommandLine;
using System.Globalization;
using Ich.Application.Prediction;
using Ich.Application.Writers;
using Ich.Core.Errors;
using Ich.DicomResults.Input;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Model.Runtime;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich predict PATH... --out DIR [--model DIR] [--gradcam positive|all|none] [--batch N] [--threads N] [--device cpu|cuda] [--json] [--dicom [keys|full]] [--saliency-maps]</c>:
/// every scan found in the inputs → predictions.csv, submission.csv (DICOM), scans.csv, report.html and
/// Grad-CAM overlays, through <see cref="PredictionJob"/>. This verb only parses, prints and picks the exit code
/// (<see cref="ExitCodes"/>): all predicted, some scan failed, the run could not start, interrupted.
/// </summary>
public sealed class PredictCommand : ICliVerb
{
    public Command Build()
    {
        var paths = new Argument<string[]>("PATH") { Description = "DICOM files/folders/.zip, NIfTI files/folders, PhysioNet CT-ICH root or patient folders", Arity = ArgumentArity.OneOrMore };
        var outOption = new Option<string>("--out") { Description = "output folder", Required = true };
        var modelOption = new Option<string?>("--model") { Description = "model folder (default: $ICH_MODEL, else models/default of this installation)" };
        var gradcamOption = new Option<string>("--gradcam") { Description = "Grad-CAM maps: positive (default), all or none", DefaultValueFactory = _ => "positive" };
        gradcamOption.AcceptOnlyFromAmong("positive", "all", "none");
        var batchOption = new Option<int>("--batch") { Description = "slices per CNN forward pass", DefaultValueFactory = _ => 16 };
        var threadsOption = new Option<int?>("--threads") { Description = "libtorch threads (default: all cores)" };
        var deviceOption = new Option<string>("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => "cpu" };
        // Hidden: for the memory test and the benchmark, which compare the peak of runs of different sizes.
        var jsonOption = new Option<bool>("--json") { Description = "also print one JSON object per scan on stdout as it finishes (JSON Lines; progress stays on stderr)" };
        var dicomOption = new Option<string?>("--dicom")
        {
            Description = "also write DICOM results that join each source study under DIR/dicom/<StudyInstanceUID>/: SR, KOS and " +
                          "Secondary Captures of the key slices (keys, the default) or of every slice (full)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        dicomOption.AcceptOnlyFromAmong("keys", "full");
        var saliencyOption = new Option<bool>("--saliency-maps") { Description = "also write every Grad-CAM map as a 16-bit PNG (0-65535 = 0-1) under DIR/saliency/<scan_id>/" };
        var stagesOption = new Option<bool>("--stages") { Description = "also write stages.csv: every slice's CNN, SeqModel1 and SeqModel2 probabilities per backbone and system" };
        var peakOption = new Option<string?>("--report-peak-memory") { Description = "write the process's peak resident memory (kB) to this file at the end", Hidden = true };
        var command = new Command("predict", "predict hemorrhage per slice and per scan, with Grad-CAM and an HTML report")
        {
            paths, outOption, modelOption, gradcamOption, batchOption, threadsOption, deviceOption, jsonOption, dicomOption, saliencyOption, stagesOption, peakOption,
        };
        command.SetAction(parse =>
        {
            try
            {
                var batch = parse.GetValue(batchOption);
                if (batch < 1) throw new ConfigException($"--batch must be >= 1 (got {batch})");
                TorchRuntime.Initialize(parse.GetValue(threadsOption));
                var mode = Enum.Parse<GradCamMode>(parse.GetValue(gradcamOption)!, ignoreCase: true);
                var outDir = parse.GetValue(outOption)!;
                var writers = PredictionOutputs.Standard(outDir);
                if (parse.GetResult(dicomOption) is not null)
                    writers.Add(new DicomResultsWriter(outDir, parse.GetValue(dicomOption) == "full" ? CaptureMode.Full : CaptureMode.Keys));
                if (parse.GetValue(saliencyOption)) writers.Add(new SaliencyMapsWriter(outDir));
                if (parse.GetValue(stagesOption)) writers.Add(new StageOutputsWriter(outDir));
                if (parse.GetValue(jsonOption)) writers.Add(new JsonLinesWriter(Console.Out));
                var request = new PredictionRequest(ResolveModel(parse.GetValue(modelOption)), writers)
                {
                    Paths = parse.GetValue(paths)!,
                    Options = new PredictorOptions(batch, mode),
                    Device = parse.GetValue(deviceOption)!,
                    OutputFolder = outDir,
                };
                using var cancel = new CliCancellation("ich predict: stopping after the current scan");
                var exit = Run(request, Console.Error.WriteLine, cancel.Token);
                // Outputs a scan could not get (a viewer page, DICOM results) are reported per scan and count as failed items.
                var outputFailures = writers.OfType<ViewerWriter>().SelectMany(w => w.Failures)
                    .Concat(writers.OfType<DicomResultsWriter>().SelectMany(w => w.Failures)).ToList();
                foreach (var failure in outputFailures) Console.Error.WriteLine($"ich predict: {failure}");
                if (outputFailures.Count > 0 && exit == ExitCodes.Success) exit = ExitCodes.SomeItemsFailed;
                if (parse.GetValue(peakOption) is { } peakFile) File.WriteAllText(peakFile, PeakMemory.ResidentKb().ToString(CultureInfo.InvariantCulture));
                return exit;
            }
            catch (IchException e) { Console.Error.WriteLine($"ich predict: {e.Message}"); return ExitCodes.UsageError; }
            catch (OperationCanceledException) { Console.Error.WriteLine("ich predict: interrupted"); return ExitCodes.Interrupted; }
        });
        return command;
    }

    /// <summary>Runs the job, printing one line per scan and a closing line. Returns <see cref="ExitCodes.Success"/> or <see cref="ExitCodes.SomeItemsFailed"/>.</summary>
    public static int Run(PredictionRequest request, Action<string> print, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(print);
        var job = new PredictionJob(new ActionLogger(w => print($"warning: {w}")));
        var summary = job.Run(request, new SyncProgress<PredictionProgress>(p => print(ProgressLine(p))), cancel);
        print($"{summary.Succeeded} scan(s) predicted, {summary.Failed} failed" + (request.OutputFolder is { } o ? $"; outputs in {o}" : ""));
        return summary.Failed == 0 ? ExitCodes.Success : ExitCodes.SomeItemsFailed;
    }

    private static string ProgressLine(PredictionProgress p)
    {
        var s = p.Scan;
        var status = s.Status == ScanStatus.Predicted
            ? $"ok, triage {(s.Triage ? "YES" : "no")}, {s.MsPerSlice.ToString("0.0", CultureInfo.InvariantCulture)} ms/slice"
            : $"FAILED: {s.Error}";
        return $"[{p.Done}/{p.Total}] {s.ScanId}: {status}";
    }

    internal static string ResolveModel(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return option;
        if (Environment.GetEnvironmentVariable("ICH_MODEL") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "default");
            if (File.Exists(Path.Combine(candidate, ModelManifest.FileName))) return candidate;
        }
        throw new ConfigException("no model folder: pass --model DIR (a folder with model.json) or set ICH_MODEL");
    }
}
