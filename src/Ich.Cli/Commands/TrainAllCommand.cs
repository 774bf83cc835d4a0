using System.CommandLine;
using Ich.Cli.Logging;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Application.TrainAll;
using Ich.Application.Workers;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich train all --config FILE [--threads N] [--device cpu|cuda]</c>: the whole pipeline (phantoms → CNN folds
/// per backbone → sequence folds → ensemble → model folder → held-out check → model card) in one resumable
/// command: run it again after an interruption and it continues with the first unfinished stage.
/// Exit 0 when complete, 2 for a bad config or data, 3 when interrupted.
/// </summary>
internal sealed class TrainAllCommand : ITrainSubcommand
{
    public Command Build()
    {
        var config = new Option<string>("--config") { Description = "pipeline config JSON (see configs/default.json and docs/default-model.md)", Required = true };
        var device = new Option<string>("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: the config's, else all cores)" };
        var command = new Command("all", "train the whole pipeline (CNN folds per backbone, features, sequence folds, ensemble) and write the model folder with its model card; resumable")
            { config, device, threads };
        command.SetAction(parse =>
        {
            using var cancel = new CliCancellation("interrupt: saving state after the current batch");
            try
            {
                var cfg = TrainAllConfig.Load(parse.GetValue(config)!);
                TorchRuntime.Initialize(parse.GetValue(threads) ?? cfg.Threads);
                var dev = TorchRuntime.ResolveDevice(parse.GetValue(device)!);
                TrainAllResult result = null!;
                using (var logging = CliLogging.Create(timestamps: true))
                    ProgressDisplay.Run(report =>
                        result = new TrainAllPipeline(cfg, dev, logging.CreateLogger("ich.train.all"), report, IchLauncher.OfThisProcess()).Run(cancel.Token));
                foreach (var s in result.Stages)
                    AnsiConsole.WriteLine($"{s.Name,-16} {s.Status.Display(),-20} {s.Seconds / 60,6:0.0} min");
                if (!result.Completed)
                {
                    AnsiConsole.MarkupLine($"[yellow]interrupted; continue with:[/] ich train all --config {Markup.Escape(parse.GetValue(config)!)}");
                    return ExitCodes.Interrupted;
                }
                AnsiConsole.WriteLine($"model folder: {result.ModelFolder} ({result.ModelBytes / 1048576.0:0.0} MB), card: {Path.Combine(result.ModelFolder, ModelCard.FileName)}");
                return 0;
            }
            catch (IchException e) { AnsiConsole.MarkupLine($"[red]ich train all:[/] {Markup.Escape(e.Message)}"); return 2; }
        });
        return command;
    }
}
