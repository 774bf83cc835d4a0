using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core.Errors;
using Ich.Serve.Storage;

namespace Ich.Serve.Work;

/// <summary>The result.json written beside the report and DICOM files of one finished run.</summary>
public sealed record StoredResult(
    [property: JsonPropertyName("studyInstanceUid")] string StudyInstanceUid,
    [property: JsonPropertyName("modelVersion")] string ModelVersion,
    [property: JsonPropertyName("triage")] bool Triage,
    [property: JsonPropertyName("maxAny")] double MaxAny,
    [property: JsonPropertyName("max")] IReadOnlyDictionary<string, double> Max,
    [property: JsonPropertyName("flaggedClasses")] IReadOnlyList<string> FlaggedClasses,
    [property: JsonPropertyName("slices")] IReadOnlyList<SliceProbabilities> Slices,
    [property: JsonPropertyName("report")] string? Report,
    [property: JsonPropertyName("dicom")] IReadOnlyList<string> Dicom,
    [property: JsonPropertyName("processingSeconds")] double ProcessingSeconds);

/// <summary>
/// Work and result folders. A run writes into its private work folder; <see cref="Publish"/> fsyncs every
/// file, writes result.json, and renames the whole folder into results/STUDY/ID in one step, so a reader
/// sees either the previous complete result or the new complete one, never a half-written one. Only then
/// is the queue row marked done (pointing at the new folder).
/// </summary>
public sealed class ResultStore(DataLayout layout)
{
    public const string ResultFileName = "result.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>
    /// A new empty work folder for one attempt on a study. Folders of earlier attempts on the same study
    /// are removed first: the caller holds the lease now, so their workers died or lost it.
    /// </summary>
    public string NewWorkFolder(string studyUid)
    {
        var uid = DataLayout.RequireUid(studyUid, "Study Instance UID");
        foreach (var stale in Directory.EnumerateDirectories(layout.Work, uid + ".*")) Directory.Delete(stale, recursive: true);
        var path = Path.Combine(layout.Work, $"{uid}.{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Validates and publishes a run's work folder; returns the result folder relative to the data folder.</summary>
    public string Publish(string studyUid, string workFolder, StudyResult result, double processingSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Max.TryGetValue("any", out var maxAny))
            throw new ModelInputException("the processor's result has no maximum for class 'any'", workFolder);
        foreach (var file in result.DicomFiles.Append(result.ReportFile).OfType<string>())
            RequireInside(workFolder, file);
        var stored = new StoredResult(studyUid, result.ModelVersion, result.Triage, maxAny, result.Max, result.FlaggedClasses,
            result.Slices, result.ReportFile, result.DicomFiles, processingSeconds);
        DurableFiles.WriteAllBytesAtomic(Path.Combine(workFolder, ResultFileName), JsonSerializer.SerializeToUtf8Bytes(stored, Json));
        foreach (var file in Directory.EnumerateFiles(workFolder, "*", SearchOption.AllDirectories)) FsyncFile(file);
        foreach (var dir in Directory.EnumerateDirectories(workFolder, "*", SearchOption.AllDirectories)) DurableFiles.FsyncDirectory(dir);

        var studyResults = layout.ResultsFolder(studyUid);
        Directory.CreateDirectory(studyResults);
        var target = Path.Combine(studyResults, Path.GetFileName(workFolder));
        Directory.Move(workFolder, target);
        DurableFiles.FsyncDirectory(studyResults);
        DurableFiles.FsyncDirectory(layout.Work);
        return layout.Relative(target);
    }

    /// <summary>Reads result.json of a published result folder (relative to the data folder).</summary>
    public StoredResult Read(string resultFolder)
    {
        var path = Path.Combine(layout.Resolve(resultFolder), ResultFileName);
        return JsonSerializer.Deserialize<StoredResult>(File.ReadAllBytes(path), Json)
               ?? throw new DatasetFormatException("empty result file", path);
    }

    /// <summary>Absolute path of a file named in a result (checked to stay inside the result folder).</summary>
    public string FileOf(string resultFolder, string relativeFile) => RequireInside(layout.Resolve(resultFolder), relativeFile);

    /// <summary>
    /// Deletes result folders of a study left by runs before this one: every folder other than
    /// <paramref name="currentRelative"/> last written before <paramref name="claimedUtc"/>. A folder
    /// written later belongs to a run that started after this one finished, so it is left alone.
    /// </summary>
    public void PruneOlder(string studyUid, string currentRelative, DateTime claimedUtc)
    {
        var current = layout.Resolve(currentRelative);
        foreach (var dir in Directory.EnumerateDirectories(layout.ResultsFolder(studyUid)))
            if (!string.Equals(dir, current, StringComparison.Ordinal) && Directory.GetLastWriteTimeUtc(dir) < claimedUtc)
                Directory.Delete(dir, recursive: true);
    }

    /// <summary>Deletes a work folder left by a failed or abandoned attempt.</summary>
    public static void Discard(string workFolder)
    {
        if (Directory.Exists(workFolder)) Directory.Delete(workFolder, recursive: true);
    }

    private static string RequireInside(string folder, string relative)
    {
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
            throw new ModelInputException($"result file '{relative}' is missing or outside its result folder", folder);
        return full;
    }

    private static void FsyncFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        stream.Flush(flushToDisk: true);
    }
}
