using System.CommandLine;
using Ich.Cli.Logging;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Application.TrainAll;
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
        var fold = new Option<string?>("--fold")
        {
            Description = "train only this fold of this system, SYSTEM:K (a worker of `ich train all`; a later run without --fold at the same --threads loads it instead of training it)",
        };
        var command = new Command("seq", "train the sequence models (SeqModel1 + SeqModel2) on CNN out-of-fold features; writes checkpoints, OOF predictions and ablation.md")
            { config, output, threads, fold };
        command.SetAction(parse =>
        {
            using var cancel = new CliCancellation("interrupt: stopping after the current batch");
            try
            {
                var cfg = SeqTrainConfig.Load(parse.GetValue(config)!);
                if (parse.GetValue(output) is { } outDir) cfg = cfg with { Out = Path.GetFullPath(outDir) };
                TorchRuntime.Initialize(parse.GetValue(threads) ?? cfg.Threads);
                using var logging = CliLogging.Create(timestamps: false);
                if (parse.GetValue(fold) is { } only)
                {
                    var (system, k) = ParseFold(only);
                    var trained = SeqRun.TrainFold(cfg, system, k, logging.CreateLogger("ich.train.seq"), cancel.Token);
                    AnsiConsole.WriteLine(trained ? $"system {system} fold {k}: trained" : $"system {system} fold {k}: already finished with these settings");
                    return 0;
                }
                var result = SeqRun.Run(cfg, logging.CreateLogger("ich.train.seq"), cancel.Token);
                AnsiConsole.WriteLine(Ich.Training.Ensemble.AblationTable.Markdown(result.Ablation, ""));
                if (result.SkippedUnlabelled > 0)
                    AnsiConsole.MarkupLine($"[yellow]{result.SkippedUnlabelled} scan(s) without labels on every slice were not used[/]");
                AnsiConsole.WriteLine($"run folder: {result.OutFolder}");
                if (cfg.Model is not null)
                {
                    var bytes = ModelPackager.Package(cfg);
                    AnsiConsole.WriteLine($"model folder: {cfg.Resolve(cfg.Model.Out)} ({bytes / 1048576.0:0.0} MB)");
                }
                return 0;
            }
            catch (IchException e) { AnsiConsole.MarkupLine($"[red]ich train seq:[/] {Markup.Escape(e.Message)}"); return 2; }
            catch (OperationCanceledException) { AnsiConsole.MarkupLine("[yellow]interrupted[/]"); return ExitCodes.Interrupted; }
        });
        return command;
    }

    private static (string System, int Fold) ParseFold(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k))
            throw new ConfigException($"--fold '{text}': expected SYSTEM:K, e.g. r18in160:0");
        return (text[..colon], k);
    }
}
