using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Cli.Inspect;
using Ich.Dicom.Reading;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich inspect PATH... [--json]</c>: every DICOM file under the paths (folders recursive, .zip
/// entries) with its identity, pixel module, rescale and stored-pixel SHA-256, or the error that
/// stopped it. One bad file never stops the listing; the exit code is 1 when any file failed.
/// </summary>
internal sealed class InspectCommand : ICliVerb
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public Command Build()
    {
        var pathsArgument = new Argument<string[]>("PATH") { Description = "DICOM files, folders (recursive) or .zip archives", Arity = ArgumentArity.OneOrMore };
        var jsonOption = new Option<bool>("--json") { Description = "write JSON Lines (one object per file) instead of a table" };
        // Series mode (Ich.Cli.Inspect.SeriesInspection): studies/series from headers, selection and geometry.
        var seriesOption = new Option<bool>("--series") { Description = "group files into studies and series: chosen series and reason, slices, spacing, thickness, tilt, gaps, problems (JSON Lines: one object per series)" };
        var pngOption = new Option<string?>("--png") { HelpName = "DIR", Description = "with --series: write a brain-window montage of each study's chosen series into this folder" };
        var rulesOption = new Option<string?>("--selection-rules") { HelpName = "FILE", Description = "with --series: series-selection rules JSON (default: built in, see configs/series-selection.json)" };
        var command = new Command("inspect", "list DICOM files with their header summary and stored-pixel SHA-256, or (--series) their studies and series")
            { pathsArgument, jsonOption, seriesOption, pngOption, rulesOption };
        command.SetAction(parse =>
        {
            using var cancel = new CliCancellation("inspect: stopping");
            var json = parse.GetValue(jsonOption);
            var paths = parse.GetValue(pathsArgument) ?? [];
            var png = parse.GetValue(pngOption);
            var rules = parse.GetValue(rulesOption);
            if (parse.GetValue(seriesOption)) return SeriesInspection.Run(paths, json, png, rules, cancel.Token);
            if (png is not null || rules is not null)
            {
                Console.Error.WriteLine("inspect: --png and --selection-rules need --series");
                return 2;
            }
            return Run(paths, json, cancel.Token);
        });
        return command;
    }

    private static int Run(IReadOnlyList<string> paths, bool json, CancellationToken cancel)
    {
        var skipped = 0;
        var inputs = FileEnumeration.Enumerate(paths, _ => skipped++);
        var results = inputs.AsParallel().AsOrdered()
            .WithDegreeOfParallelism(Math.Max(1, Environment.ProcessorCount))
            .WithMergeOptions(ParallelMergeOptions.NotBuffered)
            .WithCancellation(cancel)
            .Select(FileInspection.Inspect);
        int total = 0, failed = 0;
        if (!json) Console.Out.WriteLine(FileInspectionTable.Header);
        try
        {
            foreach (var r in results)
            {
                total++;
                if (r.Error is not null) failed++;
                Console.Out.WriteLine(json ? JsonSerializer.Serialize(r, Json) : FileInspectionTable.Line(r));
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"inspect: interrupted after {total} files");
            return ExitCodes.Interrupted;
        }
        Console.Error.WriteLine($"inspect: {total} files, {failed} failed" + (skipped > 0 ? $", {skipped} companion files skipped (.md, .csv, ...)" : ""));
        return failed > 0 || total == 0 ? 1 : 0;
    }
}
