using System.CommandLine;
using Ich.Cli.Logging;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Training.Cnn;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>
/// A subcommand of <c>ich train</c> (<c>cnn</c>, <c>seq</c>, ...). Every implementation in this assembly is
/// attached automatically, so a new training stage is one new file.
/// </summary>
public interface ITrainSubcommand
{
    Command Build();
}

/// <summary><c>ich train &lt;stage&gt;</c>: the training verbs.</summary>
internal sealed class TrainCommand : ICliVerb
{
    public Command Build()
    {
        var command = new Command("train", "train a model stage (cnn: per-slice CNN with k-fold CV and OOF features)");
        foreach (var sub in typeof(TrainCommand).Assembly.GetTypes()
                     .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(ITrainSubcommand).IsAssignableFrom(t))
                     .Select(t => ((ITrainSubcommand)Activator.CreateInstance(t)!).Build())
                     .OrderBy(c => c.Name, StringComparer.Ordinal))
            command.Subcommands.Add(sub);
        return command;
    }
}

/// <summary><c>ich train cnn --config FILE</c> (or <c>--resume RUN</c>, optionally with <c>--fold K</c>: the worker form).</summary>
internal sealed class TrainCnnSubcommand : ITrainSubcommand
{
    public Command Build()
    {
        var config = new Option<string?>("--config") { Description = "training config JSON (see configs/cnn-*.json and docs/training.md)" };
        var output = new Option<string?>("--out") { Description = "run folder to create (default runs/cnn-<backbone>-<UTC time>)" };
        var resume = new Option<string?>("--resume") { Description = "continue the interrupted run in this folder exactly where it stopped" };
        var device = new Option<string>("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int?>("--threads") { Description = "libtorch CPU threads (default: all cores)" };
        var fold = new Option<int?>("--fold")
        {
            Description = "with --resume: train (or resume) only this fold of the run, then stop without out-of-fold features " +
                          "(what `ich train all` starts in each worker process when cnnWorkers is above 1)",
        };
        var command = new Command("cnn", "train the per-slice CNN with k-fold cross-validation by patient; writes checkpoints, metrics and out-of-fold features")
            { config, output, resume, device, threads, fold };
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(output), parse.GetValue(resume), parse.GetValue(device)!, parse.GetValue(threads), parse.GetValue(fold)));
        return command;
    }

    private static int Run(string? configPath, string? outDir, string? resumeDir, string deviceOption, int? threads, int? fold)
    {
        using var cancel = new CliCancellation("interrupt: finishing the current batch and saving state");
        try
        {
            if ((configPath is null) == (resumeDir is null))
                throw new ConfigException("give exactly one of --config FILE (new run) or --resume RUN_FOLDER");
            if (fold is not null && resumeDir is null)
                throw new ConfigException("--fold trains one fold of an existing run folder: give it with --resume RUN_FOLDER");
            TorchRuntime.Initialize(threads);
            var device = TorchRuntime.ResolveDevice(deviceOption);
            var resuming = resumeDir is not null;
            var cfg = CnnTrainConfig.Load(resuming ? Path.Combine(resumeDir!, "config.json") : configPath!);
            var runDir = resumeDir ?? outDir ?? Path.Combine("runs", $"cnn-{cfg.Backbone}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            using var logging = CliLogging.Create(timestamps: false);
            var log = logging.CreateLogger("ich.train.cnn");
            var scans = TrainingData.Load(cfg.Datasets, log);
            if (fold is { } k) return TrainOneFold(new CnnTrainer(cfg, scans, runDir, device, null, log), k, runDir, log, cancel.Token);
            CnnRunResult result = null!;
            ProgressDisplay.Run(report =>
                result = new CnnTrainer(cfg, scans, runDir, device, report, log).RunWithRetry(resuming, cancel.Token));
            if (!result.Completed)
            {
                AnsiConsole.MarkupLine($"[yellow]interrupted; resume with:[/] ich train cnn --resume {Markup.Escape(runDir)}");
                return ExitCodes.Interrupted;
            }
            foreach (var f in result.Folds)
                AnsiConsole.WriteLine($"fold {f.Fold}: best epoch {f.BestEpoch}, val weighted log-loss {f.BestValLoss:F4}");
            AnsiConsole.WriteLine($"run folder: {runDir}; OOF features: {result.OofFeatures}");
            var report = Path.Combine(runDir, CvReport.FileName);
            File.WriteAllText(report, CvReport.Markdown([CvReport.Summarize(runDir)]));
            AnsiConsole.WriteLine($"out-of-fold metrics: {report}");
            return 0;
        }
        catch (IchException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        catch (OperationCanceledException) when (fold is not null)
        {
            AnsiConsole.MarkupLine($"[yellow]interrupted; resume with:[/] ich train cnn --resume {Markup.Escape(resumeDir!)} --fold {fold}");
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException)
        {
            // Interrupted while decoding slices or writing OOF features: trained folds are saved; --resume redoes the rest.
            AnsiConsole.MarkupLine($"[yellow]interrupted; resume with:[/] ich train cnn --resume <run folder>");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>
    /// The worker form: one fold, logged line by line (no live progress display: a worker's output goes to a log file),
    /// retried after a transient libtorch error like every CNN training (the retry resumes from the last saved epoch).
    /// </summary>
    private static int TrainOneFold(CnnTrainer trainer, int fold, string runDir, ILogger log, CancellationToken cancel)
    {
        var result = NativeRetry.Run($"CNN fold {fold} of {runDir}", () => trainer.TrainOneFold(fold, cancel), log);
        if (result is null)
        {
            AnsiConsole.MarkupLine($"[yellow]interrupted; resume with:[/] ich train cnn --resume {Markup.Escape(runDir)} --fold {fold}");
            return ExitCodes.Interrupted;
        }
        AnsiConsole.WriteLine($"fold {result.Fold}: done (epoch kept: {result.BestEpoch}); out-of-fold features not written (`ich train cnn --resume {runDir}` writes them)");
        return 0;
    }
}
