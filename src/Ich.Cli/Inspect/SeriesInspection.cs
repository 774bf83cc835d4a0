using System.Globalization;
using System.Text.Json;
using Ich.Core.Errors;
using Ich.Dicom.Reading;
using Ich.Dicom.Series;

namespace Ich.Cli.Inspect;

/// <summary>
/// <c>ich inspect PATH... --series [--json] [--png DIR] [--selection-rules FILE]</c>: assembles studies and
/// series from the headers (pixels stay on disk), prints per study the chosen series and the reason,
/// and per series slice count, spacing, thickness, tilt, gaps and problems. Exit code 1 when a file
/// could not be read or a montage slice could not be decoded, 130 when interrupted; a study without an
/// eligible series is a finding (reported), not a failure.
/// </summary>
public static class SeriesInspection
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep ≤, ° readable
    };

    public static int Run(IReadOnlyList<string> paths, bool json, string? pngDir, string? rulesPath, CancellationToken cancel)
    {
        SeriesSelectionRules rules;
        try { rules = rulesPath is null ? SeriesSelectionRules.Default : SeriesSelectionRules.Load(rulesPath); }
        catch (ConfigException e) { Console.Error.WriteLine($"inspect: {e.Message}"); return 2; }

        var skipped = 0;
        var inputs = FileEnumeration.Enumerate(paths, _ => skipped++).ToList();
        var showProgress = !Console.IsErrorRedirected && inputs.Count >= 50;
        SeriesAssembly assembly;
        try
        {
            assembly = SeriesAssembler.Assemble(inputs, new SeriesAssemblyOptions
            {
                Rules = rules,
                CancellationToken = cancel,
                Progress = showProgress ? done => { if (done % 25 == 0 || done == inputs.Count) Console.Error.Write($"\rheaders: {done}/{inputs.Count}"); } : null,
            });
            if (showProgress) Console.Error.WriteLine();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("\ninspect: interrupted while reading headers");
            return ExitCodes.Interrupted;
        }

        var montageFailures = 0;
        var montages = new Dictionary<SeriesReport, string>(ReferenceEqualityComparer.Instance);
        if (pngDir is not null)
        {
            foreach (var study in assembly.Studies)
            {
                if (study.SelectedSeries is not { } chosen) continue;
                var file = Path.Combine(pngDir, SeriesInspectionMontage.FileName(chosen));
                try
                {
                    var problems = SeriesInspectionMontage.Write(chosen, file, cancel);
                    montages[chosen] = file;
                    foreach (var p in problems) Console.Error.WriteLine($"inspect: montage: {p.Path}: {p.Reason}");
                    montageFailures += problems.Count;
                }
                catch (OperationCanceledException)
                {
                    Console.Error.WriteLine("inspect: interrupted while writing montages");
                    return ExitCodes.Interrupted;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"inspect: cannot write {file}: {e.Message}");
                    montageFailures++;
                }
            }
        }

        foreach (var study in assembly.Studies)
        {
            if (json)
            {
                foreach (var s in study.Series)
                    Console.Out.WriteLine(JsonSerializer.Serialize(SeriesInspectionRecord.From(s, montages.GetValueOrDefault(s)), Json));
            }
            else WriteStudy(study, montages);
        }

        foreach (var f in assembly.UnlistedFiles) Console.Error.WriteLine($"inspect: {f.Path}: {f.Reason}");
        var seriesCount = assembly.Studies.Sum(s => s.Series.Count);
        var selected = assembly.Studies.Count(s => s.SelectedSeries is not null);
        Console.Error.WriteLine(
            $"inspect: {assembly.FileCount} files, {assembly.UnlistedFiles.Count} not listed (unreadable or without study/series UID), {assembly.Studies.Count} studies, " +
            $"{seriesCount} series, {selected} studies with a selected series" +
            (skipped > 0 ? $", {skipped} companion files skipped (.md, .csv, ...)" : "") +
            (montageFailures > 0 ? $", {montageFailures} montage slice(s) failed" : ""));
        return assembly.FileCount == 0 || assembly.UnlistedFiles.Count > 0 || montageFailures > 0 ? 1 : 0;
    }

    private static void WriteStudy(StudyReport study, IReadOnlyDictionary<SeriesReport, string> montages)
    {
        var o = Console.Out;
        o.WriteLine($"study {study.StudyInstanceUid}  patient {study.PatientId ?? "-"}");
        o.WriteLine($"  selection: {study.SelectionReason}");
        foreach (var s in study.Series)
        {
            var g = s.Geometry;
            var mark = s.Selected ? "*" : s.Eligible ? "+" : "-";
            o.WriteLine($"  [{mark}] series {s.SeriesNumber?.ToString(CultureInfo.InvariantCulture) ?? "?"} {s.SeriesInstanceUid}" +
                        $"  {s.Modality ?? "?"}  \"{s.SeriesDescription ?? ""}\"  kernel {s.ConvolutionKernel ?? "-"}");
            o.WriteLine($"      {s.Slices.Count} slices of {s.FileCount} files, spacing {Mm(g.SpacingMm)}" +
                        (g.MinStepMm is { } min && g.MaxStepMm is { } max && max - min > 1e-3 ? $" ({F(min)}–{F(max)})" : "") +
                        $", thickness {Mm(g.ThicknessMm)}{(g.ThicknessSource is { } src ? $" ({src})" : "")}" +
                        $", tilt {Deg(g.TiltDeg)}, obliquity {Deg(g.ObliquityDeg)}, coverage {F(g.CoverageMm)} mm, gaps {g.Gaps.Count}");
            o.WriteLine($"      {s.Reason}");
            foreach (var p in s.Problems) o.WriteLine($"      problem {p.Code}: {p.Message}");
            foreach (var group in s.Excluded.GroupBy(e => e.Reason).Take(5))
                o.WriteLine($"      excluded {group.Count()} file(s): {group.Key} (e.g. {group.First().Path})");
            if (montages.TryGetValue(s, out var png)) o.WriteLine($"      montage {png}");
        }
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    private static string Mm(double? v) => v is { } x ? $"{F(x)} mm" : "-";
    private static string Deg(double? v) => v is { } x ? $"{F(x)}°" : "-";
}
