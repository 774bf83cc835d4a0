using System.CommandLine;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Inference.Model;
using Ich.Model.Sequence;
using Ich.Training.Cnn;
using Ich.Training.Sequence;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich train seq --config FILE [--out DIR] [--threads N]</c>: the sequence stage over stage-1 feature
/// stores (k-fold by patient, SeqModel1 + SeqModel2 jointly, ensemble, ablation table). Exit 0 on success,
/// 2 for a bad config or store, 130 when interrupted.
/// </summary>
internal sealed class TrainSeqCommand : ITrainSubcommand
{
    public Command Build()
    {
        var config = new Option<string>("--config") { Description = "sequence training config JSON (see configs/seq*.json and docs/sequence-model.md)", Required = true };
        var output = new Option<string?>("--out") { Description = "run folder (overrides the config's 'out')" };
        var threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: all cores)" };
        var command = new Command("seq", "train the sequence models (SeqModel1 + SeqModel2) on CNN out-of-fold features; writes checkpoints, OOF predictions and ablation.md")
            { config, output, threads };
        command.SetAction(parse =>
        {
            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); AnsiConsole.MarkupLine("[yellow]interrupt: stopping after the current batch[/]"); };
            Console.CancelKeyPress += onCancel;
            try
            {
                var cfg = SeqTrainConfig.Load(parse.GetValue(config)!);
                if (parse.GetValue(output) is { } outDir) cfg = cfg with { Out = Path.GetFullPath(outDir) };
                TorchRuntime.Initialize(parse.GetValue(threads) ?? cfg.Threads);
                var result = SeqRun.Run(cfg, line => AnsiConsole.WriteLine(line), cancel.Token);
                AnsiConsole.WriteLine(Ich.Training.Ensemble.AblationTable.Markdown(result.Ablation, ""));
                if (result.SkippedUnlabelled > 0)
                    AnsiConsole.MarkupLine($"[yellow]{result.SkippedUnlabelled} scan(s) without labels on every slice were not used[/]");
                AnsiConsole.WriteLine($"run folder: {result.OutFolder}");
                if (cfg.Model is not null) PackageModel(cfg, result);
                return 0;
            }
            catch (IchException e) { AnsiConsole.MarkupLine($"[red]ich train seq:[/] {Markup.Escape(e.Message)}"); return 2; }
            catch (OperationCanceledException) { AnsiConsole.MarkupLine("[yellow]interrupted[/]"); return 130; }
            finally { Console.CancelKeyPress -= onCancel; }
        });
        return command;
    }

    /// <summary>Assembles the model folder for <c>ich predict</c> from the CNN runs and this sequence run.</summary>
    private static void PackageModel(SeqTrainConfig cfg, SeqRunResult result)
    {
        var packaging = cfg.Model!;
        var sequence = System.Text.Json.JsonSerializer.Deserialize<SequenceManifest>(
            File.ReadAllText(Path.Combine(result.OutFolder, SeqRun.ManifestFile)), SeqTrainConfig.JsonOptions)!;
        var backbones = new List<BackboneSource>();
        foreach (var name in result.Systems.SelectMany(s => s.Backbones).Distinct())
        {
            var run = cfg.Resolve(packaging.CnnRuns[name]);
            var cnn = CnnTrainConfig.Load(Path.Combine(run, "config.json"));
            var checkpoints = Enumerable.Range(0, cnn.Folds).Select(k => Path.Combine(run, $"fold{k}", "best.model")).ToList();
            var dim = result.Systems.First(s => s.Backbones.Contains(name)) is var sys
                ? sequence.Systems.First(x => x.Name == sys.Name).BackboneDims[sys.Backbones.ToList().IndexOf(name)] : 0;
            backbones.Add(new BackboneSource(
                new BackboneEntry { Name = name, Architecture = cnn.Backbone, ImageSize = cnn.ImageSize, FeatureDim = dim, CenterCrop = cnn.ValCenterCrop },
                checkpoints.Select(path => (Func<Ich.Model.Cnn.SliceCnn>)(() => CnnModels.Load(cnn.Backbone, path))).ToList()));
        }
        var op = result.OperatingPoint;
        var template = new ModelManifest
        {
            Name = packaging.Name,
            Version = packaging.Version,
            IntendedUse = packaging.IntendedUse,
            OperatingPoint = new OperatingPoint
            {
                Description = $"per class, {op[0].Rule} (out-of-fold ensemble, {cfg.Folds}-fold CV by patient)",
                Thresholds = op.ToDictionary(p => p.Class, p => p.Threshold),
            },
        };
        var outDir = cfg.Resolve(packaging.Out);
        var bytes = ModelFolderWriter.Write(outDir, template, backbones, sequence, result.OutFolder, cfg.HalfPrecision);
        AnsiConsole.WriteLine($"model folder: {outDir} ({bytes / 1048576.0:0.0} MB)");
    }
}
