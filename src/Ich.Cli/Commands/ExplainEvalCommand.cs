using System.CommandLine;
using Ich.Application.Prediction;
using Ich.Core.Errors;
using Ich.Inference.Explain;
using Ich.Inference.Input;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Model.Runtime;
using Ich.Synth.Output;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich explain-eval PATH... [--masks DIR] --out DIR [--model DIR] [--threads N]</c>: Grad-CAM of the
/// ensemble — and the segmentation head's predicted mask when the model has decoders — against bleed masks
/// (<c>.ichmask</c> files of the phantom generator, matched by SOPInstanceUID; PhysioNet CT-ICH
/// <c>&lt;slice&gt;_HGE_Seg.png</c> beside the brain JPGs, for <c>any</c>): pointing game and mass inside the mask per
/// class, next to chance. Writes explain_eval.csv, .md and .json.
/// Exit 0, 1 when some scan could not be evaluated, 2 when the run could not start.
/// </summary>
public sealed class ExplainEvalCommand : ICliVerb
{
    public Command Build()
    {
        var paths = new Argument<string[]>("PATH") { Description = "DICOM phantom studies (e.g. ich synth output)", Arity = ArgumentArity.OneOrMore };
        var masksOption = new Option<string?>("--masks")
            { Description = "folder (searched recursively) or file of .ichmask phantom bleed masks; PhysioNet masks (<slice>_HGE_Seg.png) are found beside the JPGs" };
        var outOption = new Option<string>("--out") { Description = "output folder", Required = true };
        var modelOption = new Option<string?>("--model") { Description = "model folder (default as ich predict)" };
        var threadsOption = new Option<int?>("--threads") { Description = "libtorch threads" };
        var command = new Command("explain-eval", "measure Grad-CAM (and the predicted mask) against bleed masks: pointing game and saliency mass inside the mask")
            { paths, masksOption, outOption, modelOption, threadsOption };
        command.SetAction(parse =>
        {
            try
            {
                TorchRuntime.Initialize(parse.GetValue(threadsOption));
                return Run(parse.GetValue(paths)!, parse.GetValue(masksOption), parse.GetValue(outOption)!,
                    PredictCommand.ResolveModel(parse.GetValue(modelOption)), Console.Error.WriteLine);
            }
            catch (IchException e) { Console.Error.WriteLine($"ich explain-eval: {e.Message}"); return 2; }
        });
        return command;
    }

    /// <param name="masksPath">The .ichmask file or folder; null when only PhysioNet masks (found beside the JPGs) are scored.</param>
    public static int Run(IReadOnlyList<string> paths, string? masksPath, string outDir, string modelDir, Action<string> log)
    {
        var bySop = new Dictionary<string, (BleedMasks File, SliceMasks Slice)>(StringComparer.Ordinal);
        if (masksPath is not null)
        {
            var files = File.Exists(masksPath) ? [masksPath]
                : Directory.Exists(masksPath) ? Directory.GetFiles(masksPath, "*.ichmask", SearchOption.AllDirectories)
                : throw new ConfigException("mask file or folder not found", masksPath);
            if (files.Length == 0) throw new ConfigException("no .ichmask file", masksPath);
            foreach (var f in files)
            {
                var masks = BleedMaskFile.Read(f);
                foreach (var s in masks.Slices) bySop[s.SopInstanceUid] = (masks, s);
            }
        }
        // Phantom masks by SOPInstanceUID (per subtype); else the PhysioNet mask beside the slice's JPG (blood of every subtype: any only).
        Func<string, int, bool[]?> MasksOf(Ich.Core.Scans.ScanRecord scan)
        {
            var slices = scan.Slices.ToDictionary(s => s.SliceId, StringComparer.Ordinal);
            return (sliceId, classIndex) =>
            {
                if (bySop.TryGetValue(sliceId, out var m))
                    return classIndex == 0 ? m.Slice.AnyBitmap(m.File.Width, m.File.Height) : m.Slice.ToBitmap(classIndex - 1, m.File.Width, m.File.Height);
                if (classIndex != 0 || !slices.TryGetValue(sliceId, out var slice) || PhysioNetMasks.PathFor(slice) is not { } png) return null;
                return PhysioNetMasks.Read(png).Mask;
            };
        }

        using var model = ModelBundle.Load(modelDir);
        var predictor = new ScanPredictor(model, new PredictorOptions(GradCam: GradCamMode.None));
        var scores = new List<SaliencyScore>();
        var failed = 0;
        foreach (var input in new InputResolver(new ActionLogger(w => log($"warning: {w}"))).Resolve(paths))
        {
            if (input.Scan is null) { log($"{input.Source}: FAILED: {input.Error}"); failed++; continue; }
            try
            {
                var s = SaliencyEvaluation.Evaluate(predictor, input.Scan, MasksOf(input.Scan));
                log($"{input.Scan.ScanId}: {s.Count} maps against masks ({s.Count(x => x.Explanation == ExplanationKind.PredictedMask)} predicted masks)");
                scores.AddRange(s);
            }
            catch (IchException e) { log($"{input.Scan.ScanId}: FAILED: {e.Message}"); failed++; }
        }
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "explain_eval.csv"), SaliencyEvaluation.Csv(scores));
        var md = SaliencyEvaluation.Markdown(scores, $"{model.Manifest.Name} {model.Manifest.Version}", model.HasDecoders);
        File.WriteAllText(Path.Combine(outDir, "explain_eval.md"), md);
        File.WriteAllText(Path.Combine(outDir, "explain_eval.json"),
            SaliencyEvaluation.Json(scores, $"{model.Manifest.Name} {model.Manifest.Version}", model.HasDecoders));
        log(md);
        return failed == 0 ? 0 : 1;
    }
}
