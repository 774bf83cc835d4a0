using System.CommandLine;
using Ich.Cli.Logging;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Training.Cnn;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich features --run RUN --dataset KIND=PATH ... --out DIR</c>: fold-averaged, test-time-augmented CNN
/// probabilities and features of any dataset, as a feature store (kind "test") for the sequence stage.
/// </summary>
internal sealed class FeaturesCommand : ICliVerb
{
    public Command Build()
    {
        var run = new Option<string>("--run") { Description = "a completed `ich train cnn` run folder", Required = true };
        var datasets = new Option<string[]>("--dataset") { Description = "KIND=PATH (repeatable), e.g. physionet=/data/ct-ich", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "feature store folder to create", Required = true };
        var tta = new Option<int?>("--tta") { Description = "test-time-augmentation passes (default: the run's tta)" };
        var device = new Option<string>("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => "cpu" };
        var fold = new Option<int?>("--fold") { Description = "only this fold's model (also of a run that trained some folds, trainFolds); default: the mean of every fold's" };
        var predictions = new Option<string?>("--predictions") { Description = "also write the CNN's probabilities as a predictions file (ich predict's layout) for ich evaluate" };
        var command = new Command("features", "CNN probabilities + feature vectors of a trained run on other data (input of the sequence stage)")
            { run, datasets, output, tta, device, fold, predictions };
        command.SetAction(parse =>
        {
            using var cancel = new CliCancellation("interrupt: stopping; the feature store will be incomplete");
            try
            {
                // Refused before the CNN passes, not after them.
                if (parse.GetValue(predictions) is { } target) Ich.Application.Writers.CnnProbabilitiesFile.RefuseExisting(target);
                var specs = parse.GetValue(datasets)!.Select(Parse).ToList();
                var dev = TorchRuntime.ResolveDevice(parse.GetValue(device));
                using var logging = CliLogging.Create(timestamps: false);
                var scans = TrainingData.Load(specs, logging.CreateLogger("ich.features"));
                Ich.Training.Features.FeatureStoreMeta meta = null!;
                ProgressDisplay.Run(report => meta = CnnFeatureRun.Write(parse.GetValue(run)!, scans, parse.GetValue(output)!, parse.GetValue(tta), dev,
                    (d, t) => report.Report(new TrainProgress(TrainPhase.Features, d, t)), cancel.Token, parse.GetValue(fold)));
                AnsiConsole.WriteLine($"{meta.Rows} rows × {meta.Dim} features ({meta.Backbone}, tta {meta.Tta}, {meta.Folds} fold model(s)) → {parse.GetValue(output)}");
                if (parse.GetValue(predictions) is { } file)
                    AnsiConsole.WriteLine($"{Ich.Application.Writers.CnnProbabilitiesFile.Write(parse.GetValue(output)!, file)} slices' probabilities → {file}");
                return 0;
            }
            catch (IchException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 2;
            }
            catch (OperationCanceledException)
            {
                AnsiConsole.MarkupLine("[yellow]interrupted; the feature store is incomplete (no meta.json)[/]");
                return ExitCodes.Interrupted;
            }
            catch (IOException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 2;
            }
        });
        return command;
    }

    private static DatasetSpec Parse(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1) throw new ConfigException($"--dataset '{text}': expected KIND=PATH");
        return new DatasetSpec(text[..eq], text[(eq + 1)..]);
    }
}
