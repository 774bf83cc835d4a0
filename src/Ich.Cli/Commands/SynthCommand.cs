using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ich.Core.Errors;
using Ich.Synth;
using Ich.Synth.Output;
using Spectre.Console;

namespace Ich.Cli.Commands;

/// <summary>
/// <c>ich synth</c>: synthetic head-CT phantoms with the five hemorrhage subtypes, written as real
/// DICOM with RSNA-layout labels, per-slice masks and scans.csv (see docs/phantoms.md).
/// </summary>
internal sealed class SynthCommand : ICliVerb
{
    public Command Build()
    {
        var outOption = new Option<string?>("--out") { Description = "output folder (new or empty): <scan>/ID_*.dcm, labels.csv, scans.csv, masks/" };
        var scansOption = new Option<int>("--scans") { Description = "number of scans", DefaultValueFactory = _ => 10 };
        var seedOption = new Option<ulong>("--seed") { Description = "base seed; scan i depends only on (seed, i, style)", DefaultValueFactory = _ => 1 };
        var sizeOption = new Option<int>("--size") { Description = "rows = columns in pixels", DefaultValueFactory = _ => 512 };
        var thicknessOption = new Option<string>("--thickness") { Description = "slice thickness in mm: 5, 3, 2.5, 1.25, 0.625 or mixed", DefaultValueFactory = _ => "mixed" };
        var styleOption = new Option<string>("--style")
        {
            Description = "per-scan parameter ranges: standard (original), broad (domain randomisation for training) or shifted (outside the training ranges, for a style-shift test); see docs/phantoms.md",
            DefaultValueFactory = _ => "standard",
        };
        var shiftGroupsOption = new Option<string?>("--shift-groups")
        {
            Description = "with --style shifted: shift only these comma-separated groups (pose, skull, contrast, fov, noise, streaks; none = the same scans with no group shifted), the rest as broad; to attribute a style-shift loss (docs/phantoms.md)",
        };
        var labelsOption = new Option<string>("--labels")
        {
            Description = "which blood the masks and labels count: geometric (every slab at least half blood; the original rule) or visible (less the pixels the noise-free reconstructed image shows as bone); the pixels are the same; see docs/phantoms.md",
            DefaultValueFactory = _ => "geometric",
        };
        var statsOption = new Option<bool>("--stats") { Description = "label statistics only (fast: masks and labels without pixels); writes nothing unless --out is given" };
        var montageOption = new Option<string?>("--montage") { Description = "write brain-window montage PNGs (one per subtype + negatives) into this folder" };
        var command = new Command("synth", "generate synthetic head-CT phantoms with hemorrhages as DICOM, with labels and masks")
        {
            outOption, scansOption, seedOption, sizeOption, thicknessOption, styleOption, shiftGroupsOption, labelsOption, statsOption, montageOption,
        };
        command.SetAction(parse =>
        {
            using var cancel = new CliCancellation("ich synth: stopping after the current scan");
            try
            {
                var options = new SynthOptions
                {
                    Seed = parse.GetValue(seedOption),
                    Size = parse.GetValue(sizeOption),
                    ThicknessMm = SynthOptions.ParseThickness(parse.GetValue(thicknessOption) ?? "mixed"),
                    Style = SynthOptions.ParseStyle(parse.GetValue(styleOption) ?? "standard"),
                    ShiftGroups = ParseShiftGroups(parse.GetValue(shiftGroupsOption)),
                    Labels = PhantomLabelRules.Parse(parse.GetValue(labelsOption) ?? "geometric"),
                };
                options.Validate();
                var scans = parse.GetValue(scansOption);
                var outDir = parse.GetValue(outOption);
                var montage = parse.GetValue(montageOption);
                if (scans < 1) throw new ConfigException($"--scans must be at least 1, not {scans}");
                if (montage is not null)
                {
                    foreach (var path in PhantomMontage.WriteAll(options, montage)) Console.WriteLine($"wrote {path}");
                }
                if (parse.GetValue(statsOption) && outDir is null)
                {
                    var sw = Stopwatch.StartNew();
                    var results = new List<PhantomScan>();
                    AnsiConsole.Progress().Start(ctx =>
                    {
                        var task = ctx.AddTask("labels", maxValue: scans);
                        for (var i = 0; i < scans; i++)
                        {
                            cancel.Token.ThrowIfCancellationRequested();
                            results.Add(PhantomGenerator.Labels(options, i));
                            task.Increment(1);
                        }
                    });
                    Console.Write(LabelStatistics.From(results).Format());
                    Console.WriteLine($"({sw.Elapsed.TotalSeconds:F1} s)");
                    return 0;
                }
                if (outDir is null)
                {
                    if (montage is not null) return 0;
                    throw new ConfigException("--out is required (or use --stats / --montage)");
                }
                var written = new List<PhantomScan>();
                var timer = Stopwatch.StartNew();
                AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"writing {scans} scans", maxValue: scans);
                        PhantomGenerator.Write(options, outDir, scans, scan => { written.Add(scan); task.Increment(1); }, cancel.Token);
                    });
                var slices = written.Sum(s => s.Plan.SliceCount);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"wrote {written.Count} scans, {slices} slices to {outDir} in {timer.Elapsed.TotalSeconds:F1} s ({slices / timer.Elapsed.TotalSeconds:F1} slices/s)"));
                if (parse.GetValue(statsOption)) Console.Write(LabelStatistics.From(written).Format());
                return 0;
            }
            catch (IchException e)
            {
                Console.Error.WriteLine($"ich synth: {e.Message}");
                return 2;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("ich synth: interrupted (files written so far are consistent: labels.csv and scans.csv list finished scans)");
                return ExitCodes.Interrupted;
            }
        });
        return command;
    }

    /// <summary>
    /// <c>--shift-groups</c>: absent = every group; given, it must name at least one (an empty list must not silently
    /// mean "every group").
    /// </summary>
    private static string[] ParseShiftGroups(string? text)
    {
        if (text is null) return [];
        var groups = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return groups.Length > 0 ? groups : throw new ConfigException($"--shift-groups names no group ('{text}'); leave it out to shift every group");
    }
}
