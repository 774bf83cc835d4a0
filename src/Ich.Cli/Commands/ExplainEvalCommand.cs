using System.CommandLine;
using Ich.Core.Errors;
using Ich.Inference.Explain;
using Ich.Inference.Input;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Model.Runtime;
using Ich.Synth.Output;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich explain-eval PATH... --masks DIR --out DIR [--model DIR] [--threads N]</c>: Grad-CAM of the
/// ensemble against bleed masks (<c>.ichmask</c> files of the phantom generator, matched by SOPInstanceUID):
/// pointing game and mass inside the mask per class, next to chance. Writes explain_eval.csv and .md.
/// Exit 0, 1 when some scan could not be evaluated, 2 when the run could not start.
/// </summary>
public sealed class ExplainEvalCommand : ICliVerb
{
    public Command Build()
    {
        var paths = new Argument<string[]>("PATH") { Description = "DICOM phantom studies (e.g. ich synth output)", Arity = ArgumentArity.OneOrMore };
        var masksOption = new Option<string>("--masks") { Description = "folder (searched recursively) or file of .ichmask bleed masks", Required = true };
        var outOption = new Option<string>("--out") { Description = "output folder", Required = true };
        var modelOption = new Option<string?>("--model") { Description = "model folder (default as ich predict)" };
        var threadsOption = new Option<int?>("--threads") { Description = "libtorch threads" };
        var command = new Command("explain-eval", "measure Grad-CAM against bleed masks: pointing game and saliency mass inside the mask")
            { paths, masksOption, outOption, modelOption, threadsOption };
        command.SetAction(parse =>
        {
            try
            {
                TorchRuntime.Initialize(parse.GetValue(threadsOption));
                return Run(parse.GetValue(paths)!, parse.GetValue(masksOption)!, parse.GetValue(outOption)!,
                    PredictCommand.ResolveModel(parse.GetValue(modelOption)), Console.Error.WriteLine);
            }
            catch (IchException e) { Console.Error.WriteLine($"ich explain-eval: {e.Message}"); return 2; }
        });
        return command;
    }

    public static int Run(IReadOnlyList<string> paths, string masksPath, string outDir, string modelDir, Action<string> log)
    {
        var files = File.Exists(masksPath) ? [masksPath]
            : Directory.Exists(masksPath) ? Directory.GetFiles(masksPath, "*.ichmask", SearchOption.AllDirectories)
            : throw new ConfigException("mask file or folder not found", masksPath);
        if (files.Length == 0) throw new ConfigException("no .ichmask file", masksPath);
        var bySop = new Dictionary<string, (BleedMasks File, SliceMasks Slice)>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var masks = BleedMaskFile.Read(f);
            foreach (var s in masks.Slices) bySop[s.SopInstanceUid] = (masks, s);
        }
        bool[]? Mask(string sop, int classIndex)
        {
            if (!bySop.TryGetValue(sop, out var m)) return null;
            return classIndex == 0 ? m.Slice.AnyBitmap(m.File.Width, m.File.Height) : m.Slice.ToBitmap(classIndex - 1, m.File.Width, m.File.Height);
        }

        using var model = ModelBundle.Load(modelDir);
        var predictor = new ScanPredictor(model, new PredictorOptions(GradCam: GradCamMode.None));
        var scores = new List<SaliencyScore>();
        var failed = 0;
        foreach (var input in new InputResolver(w => log($"warning: {w}")).Resolve(paths))
        {
            if (input.Scan is null) { log($"{input.Source}: FAILED: {input.Error}"); failed++; continue; }
            try
            {
                var s = SaliencyEvaluation.Evaluate(predictor, input.Scan, Mask);
                log($"{input.Scan.ScanId}: {s.Count} maps against masks");
                scores.AddRange(s);
            }
            catch (IchException e) { log($"{input.Scan.ScanId}: FAILED: {e.Message}"); failed++; }
        }
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "explain_eval.csv"), SaliencyEvaluation.Csv(scores));
        var md = SaliencyEvaluation.Markdown(scores, $"{model.Manifest.Name} {model.Manifest.Version}");
        File.WriteAllText(Path.Combine(outDir, "explain_eval.md"), md);
        log(md);
        return failed == 0 ? 0 : 1;
    }
}
