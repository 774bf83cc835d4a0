using System.CommandLine;
using Ich.Cli.Report;
using Ich.Core.Errors;
using Ich.Inference.Input;
using Ich.Inference.Model;
using Ich.Inference.Output;
using Ich.Inference.Pipeline;
using Ich.Model.Runtime;

namespace Ich.Cli.Commands;

/// <summary>What one <c>ich predict</c> run is asked to do.</summary>
/// <param name="OutDir">Output folder (created; must not be inside an input folder).</param>
/// <param name="ModelDir">Model folder holding model.json.</param>
/// <param name="Options">Batch size and Grad-CAM mode.</param>
/// <param name="Device">cpu, cuda or cuda:N.</param>
public sealed record PredictRequest(string OutDir, string ModelDir, PredictorOptions Options, string Device = "cpu");

/// <summary>
/// <c>ich predict PATH... --out DIR [--model DIR] [--gradcam positive|all|none] [--batch N] [--threads N] [--device cpu|cuda]</c>:
/// every scan found in the inputs → predictions.csv, submission.csv (DICOM), scans.csv, report.html and
/// Grad-CAM overlays. One bad scan never stops the others; exit code 0 = all predicted, 1 = some scan
/// failed, 2 = the run could not start (bad options or model).
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
        var command = new Command("predict", "predict hemorrhage per slice and per scan, with Grad-CAM and an HTML report")
        {
            paths, outOption, modelOption, gradcamOption, batchOption, threadsOption, deviceOption,
        };
        command.SetAction(parse =>
        {
            try
            {
                var batch = parse.GetValue(batchOption);
                if (batch < 1) throw new ConfigException($"--batch must be >= 1 (got {batch})");
                TorchRuntime.Initialize(parse.GetValue(threadsOption));
                var mode = Enum.Parse<GradCamMode>(parse.GetValue(gradcamOption)!, ignoreCase: true);
                var request = new PredictRequest(parse.GetValue(outOption)!, ResolveModel(parse.GetValue(modelOption)),
                    new PredictorOptions(batch, mode), parse.GetValue(deviceOption)!);
                using var cancel = new CancellationTokenSource();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); Console.Error.WriteLine("ich predict: stopping after the current scan..."); };
                return Run(parse.GetValue(paths)!, request, Console.Error.WriteLine, cancel.Token);
            }
            catch (IchException e) { Console.Error.WriteLine($"ich predict: {e.Message}"); return 2; }
            catch (OperationCanceledException) { Console.Error.WriteLine("ich predict: interrupted"); return 130; }
        });
        return command;
    }

    /// <summary>Resolves the inputs and predicts them. Returns the exit code (0 all ok, 1 some scan failed).</summary>
    public static int Run(IReadOnlyList<string> paths, PredictRequest request, Action<string> log, CancellationToken cancel = default)
    {
        GuardOutput(paths, request.OutDir);
        var temp = Path.Combine(Path.GetTempPath(), $"ich-predict-{Guid.NewGuid():N}");
        try
        {
            var inputs = new InputResolver(temp, w => log($"warning: {w}")).Resolve(paths);
            return Run(inputs, request, log, cancel);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Predicts already-resolved inputs (also the entry point for in-memory scans) and writes every output.</summary>
    public static int Run(IReadOnlyList<ScanInput> inputs, PredictRequest request, Action<string> log, CancellationToken cancel = default)
    {
        var device = TorchRuntime.ResolveDevice(request.Device);
        using var model = ModelBundle.Load(request.ModelDir, device.type == TorchSharp.DeviceType.CPU ? null : device);
        var predictor = new BatchPredictor(new ScanPredictor(model, request.Options), log);
        var done = 0;
        var outcomes = predictor.Run(inputs, o =>
        {
            done++;
            var status = o.Prediction is { } p
                ? $"ok, triage {(p.Triage ? "YES" : "no")}, {p.TimingsMs["total"] / p.Scan.Slices.Count:0.0} ms/slice"
                : $"FAILED: {o.Error}";
            log($"[{done}/{inputs.Count}] {o.ScanId}: {status}");
        }, cancel);
        Directory.CreateDirectory(request.OutDir);
        PredictionFiles.Write(request.OutDir, outcomes);
        var overlays = OverlayFiles.Write(request.OutDir, outcomes);
        HtmlReport.Write(request.OutDir, model.Manifest, outcomes, overlays);
        var failed = outcomes.Count(o => !o.Succeeded);
        log($"{outcomes.Count - failed} scan(s) predicted, {failed} failed; outputs in {request.OutDir}");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Refuses an output folder inside (or equal to) an input folder: inputs are never written to.</summary>
    private static void GuardOutput(IReadOnlyList<string> paths, string outDir)
    {
        if (File.Exists(outDir))
            throw new ConfigException($"--out {outDir} is an existing file; give a folder (created when missing)");
        var outFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir)) + Path.DirectorySeparatorChar;
        foreach (var p in paths.Where(Directory.Exists))
        {
            var inFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(p)) + Path.DirectorySeparatorChar;
            if (outFull.StartsWith(inFull, StringComparison.Ordinal))
                throw new ConfigException($"--out {outDir} is inside the input folder {p}; choose an output folder outside the inputs");
        }
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
