using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;

namespace Ich.Dicom.Series;

/// <summary>How <see cref="SeriesAssembler"/> reads and selects.</summary>
public sealed record SeriesAssemblyOptions
{
    /// <summary>The selection rule (defaults: <see cref="SeriesSelectionRules.Default"/>).</summary>
    public SeriesSelectionRules Rules { get; init; } = SeriesSelectionRules.Default;

    /// <summary>Files read in parallel; 0 = number of processors.</summary>
    public int MaxParallelism { get; init; }

    /// <summary>Called after each file with the number of files read so far (from worker threads).</summary>
    public Action<int>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }
}

/// <summary>
/// From any mix of files to studies and series: reads headers, groups by StudyInstanceUID and
/// SeriesInstanceUID, orders each CT image series along its slice normal, and picks one series per study.
/// One unreadable file never stops the listing: it is reported in <see cref="SeriesAssembly.UnlistedFiles"/>.
/// </summary>
public static class SeriesAssembler
{
    private const string SecondaryCaptureSopClass = "1.2.840.10008.5.1.4.1.1.7";

    /// <summary>Reads every file's header (pixel data stays on disk) and assembles studies and series.</summary>
    /// <param name="paths">Files, folders (recursive; companion files such as .md/.csv skipped) or .zip archives, in any order.</param>
    /// <param name="options">Rules, parallelism, progress, cancellation.</param>
    public static SeriesAssembly Assemble(IEnumerable<string> paths, SeriesAssemblyOptions? options = null) =>
        Assemble(FileEnumeration.Enumerate(paths), options);

    /// <summary>As <see cref="Assemble(IEnumerable{string}, SeriesAssemblyOptions?)"/>, for inputs already enumerated.</summary>
    public static SeriesAssembly Assemble(IEnumerable<InputFile> inputs, SeriesAssemblyOptions? options = null)
    {
        options ??= new SeriesAssemblyOptions();
        var all = inputs.ToArray();
        var headers = new SliceHeader?[all.Length];
        var failures = new ExcludedFile?[all.Length];
        var done = 0;
        Parallel.For(0, all.Length,
            new ParallelOptions
            {
                MaxDegreeOfParallelism = options.MaxParallelism > 0 ? options.MaxParallelism : Environment.ProcessorCount,
                CancellationToken = options.CancellationToken,
            },
            i =>
            {
                var input = all[i];
                try
                {
                    var file = input.Read(DicomReadOptions.Header);
                    headers[i] = SliceHeader.FromDataset(input.DisplayPath, file.Dataset) with { Input = input, PixelDataProblem = file.PixelDataProblem };
                }
                catch (IchException e) { failures[i] = new ExcludedFile(input.DisplayPath, e.Reason); }
                catch (IOException e) { failures[i] = new ExcludedFile(input.DisplayPath, $"cannot read: {e.Message}"); }
                catch (UnauthorizedAccessException e) { failures[i] = new ExcludedFile(input.DisplayPath, $"cannot read: {e.Message}"); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A reader defect on one odd file must not sink the listing; it is reported with its type to be fixed.
                    failures[i] = new ExcludedFile(input.DisplayPath, $"unexpected {e.GetType().Name} while reading the header: {e.Message}");
                }
                options.Progress?.Invoke(Interlocked.Increment(ref done));
            });
        return AssembleHeaders(headers.OfType<SliceHeader>(), failures.OfType<ExcludedFile>(), options.Rules, all.Length);
    }

    /// <summary>Assembles already-read headers (hand-built in tests, or from a cache).</summary>
    public static SeriesAssembly AssembleHeaders(IEnumerable<SliceHeader> headers, IEnumerable<ExcludedFile>? unreadable = null,
        SeriesSelectionRules? rules = null, int? fileCount = null)
    {
        rules ??= SeriesSelectionRules.Default;
        rules.Validate();
        var unlisted = new List<ExcludedFile>(unreadable ?? []);
        var all = headers.ToList();
        var listable = new List<SliceHeader>();
        foreach (var h in all)
        {
            if (h.StudyInstanceUid is null || h.SeriesInstanceUid is null)
                unlisted.Add(new(h.Path, h.StudyInstanceUid is null ? "no StudyInstanceUID" : "no SeriesInstanceUID"));
            else listable.Add(h);
        }

        var studies = listable
            .GroupBy(h => h.StudyInstanceUid!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(study =>
            {
                var series = study
                    .GroupBy(h => h.SeriesInstanceUid!, StringComparer.Ordinal)
                    .Select(g => BuildSeries(study.Key, g.Key, g.OrderBy(h => h.Path, StringComparer.Ordinal).ToList()))
                    .OrderBy(s => s.SeriesNumber ?? int.MaxValue).ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal)
                    .ToList();
                var patient = study.OrderBy(h => h.Path, StringComparer.Ordinal).Select(h => h.PatientId).FirstOrDefault(p => p is not null);
                return SeriesSelector.Select(study.Key, patient, series, rules);
            })
            .ToList();

        return new SeriesAssembly
        {
            Studies = studies,
            UnlistedFiles = unlisted.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
            FileCount = fileCount ?? all.Count + unlisted.Count,
            Rules = rules,
        };
    }

    private static SeriesReport BuildSeries(string studyUid, string seriesUid, List<SliceHeader> files)
    {
        var first = files[0];
        var problems = new List<SeriesProblem>();
        var excluded = new List<ExcludedFile>();

        var modality = files.Select(f => f.Modality).FirstOrDefault(m => m is not null);
        var isCt = string.Equals(modality, "CT", StringComparison.OrdinalIgnoreCase);
        var slices = new List<SliceHeader>();
        foreach (var f in files)
        {
            if (!string.Equals(f.Modality, modality, StringComparison.OrdinalIgnoreCase))
                excluded.Add(new(f.Path, $"modality {f.Modality ?? "(none)"} differs from the series' {modality}"));
            else if (f.IsLocalizer)
                excluded.Add(new(f.Path, $"localizer image (ImageType {string.Join('\\', f.ImageType)})"));
            else if (f.SopClassUid == SecondaryCaptureSopClass)
                excluded.Add(new(f.Path, "secondary capture (screenshot), not an acquired image"));
            else if (f.NumberOfFrames is > 1)
                excluded.Add(new(f.Path, $"multi-frame image ({f.NumberOfFrames} frames); only single-frame slices are assembled"));
            else if (f.Rows is null || f.Columns is null)
                excluded.Add(new(f.Path, "no image (no Rows/Columns)"));
            else slices.Add(f);
        }

        var localizers = excluded.Count(e => e.Reason.StartsWith("localizer", StringComparison.Ordinal));
        if (localizers > 0)
            problems.Add(new(SeriesProblemCodes.Localizer, $"{localizers} localizer image(s) left out"));
        if (files.Any(f => f.NumberOfFrames is > 1))
            problems.Add(new(SeriesProblemCodes.MultiFrame, "multi-frame (e.g. Enhanced CT) images are not assembled into slices"));
        if (files.Any(f => f.SopClassUid == SecondaryCaptureSopClass) && slices.Count == 0)
            problems.Add(new(SeriesProblemCodes.NotImage, "secondary capture series (screenshots), not acquired images"));
        if (!isCt)
            problems.Add(new(SeriesProblemCodes.NotCt, $"modality {modality ?? "(none)"}, not CT"));
        var unreadable = slices.Count(f => f.PixelDataProblem is not null);
        if (unreadable > 0)
            problems.Add(new(SeriesProblemCodes.UnreadablePixels,
                $"{unreadable} slice(s) with unreadable pixel data keep their place but are left out of the scan: " +
                string.Join("; ", slices.Where(f => f.PixelDataProblem is not null).Select(f => $"{f.Path}: {f.PixelDataProblem}"))));
        foreach (var f in files.Where(f => f.HeaderIssues.Count > 0))
            problems.Add(new(SeriesProblemCodes.HeaderValue, $"{f.Path}: {string.Join("; ", f.HeaderIssues)}"));

        // Series whose every file was left out above already say why; geometry has nothing to add.
        var geometry = isCt && slices.Count > 0
            ? SeriesGeometryBuilder.Build(slices)
            : new SeriesGeometry { Slices = [] };

        return new SeriesReport
        {
            StudyInstanceUid = studyUid,
            SeriesInstanceUid = seriesUid,
            PatientId = files.Select(f => f.PatientId).FirstOrDefault(p => p is not null),
            Modality = modality,
            SeriesNumber = files.Select(f => f.SeriesNumber).FirstOrDefault(n => n is not null),
            SeriesDescription = files.Select(f => f.SeriesDescription).FirstOrDefault(d => d is not null),
            ConvolutionKernel = MostCommon(slices.Count > 0 ? slices : files, f => f.ConvolutionKernel),
            FileCount = files.Count,
            Geometry = geometry,
            Problems = [.. problems, .. geometry.Problems],
            Excluded = [.. excluded, .. geometry.Excluded],
        };
    }

    private static string? MostCommon(IEnumerable<SliceHeader> files, Func<SliceHeader, string?> value) =>
        files.Select(value).OfType<string>().GroupBy(v => v, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();
}
