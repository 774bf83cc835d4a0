using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core.Errors;
using Ich.Training.Cnn;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich cv-report RUN [RUN ...] [--out FILE] [--json] [--fold K] [--dataset NAME]</c>: compares finished CNN cross-validation runs (pooled
/// out-of-fold weighted log-loss and AUC per class with scan-bootstrap CIs, best epoch per fold) as markdown.
/// </summary>
internal sealed class CvReportCommand : ICliVerb
{
    /// <summary>snake_case names as in the CSV outputs; NaN (an undefined AUC) as the literal "NaN".</summary>
    private static readonly JsonSerializerOptions JsonLines = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public Command Build()
    {
        var runs = new Argument<string[]>("runs") { Description = "CNN run folders (ich train cnn --out ...)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--out") { Description = "also write the markdown to this file (must not exist)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object per run (JSON Lines) instead of markdown" };
        var fold = new Option<int?>("--fold") { Description = "score only this fold's validation patients (compares a run that trained only its first folds, trainFolds, with a full run on the same patients)" };
        var dataset = new Option<string?>("--dataset") { Description = "score only this dataset's slices (e.g. physionet: the real patients apart from the phantoms)" };
        var command = new Command("cv-report", "compare finished CNN cross-validation runs: out-of-fold metrics with 95% CIs, best epoch per fold")
            { runs, output, json, fold, dataset };
        command.SetAction(parse =>
        {
            try
            {
                var outPath = parse.GetValue(output);
                if (outPath is not null && File.Exists(outPath)) throw new ConfigException("output file exists; refusing to overwrite it", outPath);
                var k = parse.GetValue(fold);
                if (k is < 0) throw new ConfigException($"--fold {k}: folds are numbered from 0");
                var folders = parse.GetValue(runs)!;
                var d = parse.GetValue(dataset);
                if (d is not null && string.IsNullOrWhiteSpace(d)) throw new ConfigException("--dataset: give a dataset name, e.g. physionet");
                var summaries = folders.Select(r => CvReport.Summarize(r, k, d)).ToList(); // validates each folder first
                var names = CvReport.DistinctNames(folders);
                summaries = summaries.Select((s, i) => s with { Run = names[i] }).ToList();
                var markdown = CvReport.Markdown(summaries);
                if (parse.GetValue(json))
                    foreach (var s in summaries) Console.Out.Write(JsonSerializer.Serialize(s, JsonLines) + "\n");
                else Console.Write(markdown);
                if (outPath is not null) File.WriteAllText(outPath, markdown);
                return 0;
            }
            catch (IchException e)
            {
                Console.Error.WriteLine($"ich cv-report: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
