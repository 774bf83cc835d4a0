namespace Ich.Serve.Work;

/// <summary>
/// The seam between the service and the prediction application layer. The service hands a stable study's
/// stored instances to <see cref="ProcessAsync"/> and records what comes back; it knows nothing of models.
/// One instance serves every worker loop of a process (the model is loaded once per process), so an
/// implementation must be safe to call concurrently, or serialise internally.
/// </summary>
public interface IStudyProcessor
{
    /// <summary>Name and version of the model, reported in results, the API and /metrics.</summary>
    string ModelVersion { get; }

    /// <summary>
    /// Predicts one study. Reads only <see cref="StudyWorkItem.InstanceFolder"/>, writes the report and the
    /// DICOM results only under <see cref="StudyWorkItem.WorkFolder"/> (the service moves that folder into
    /// place atomically afterwards). Bad input raises an <see cref="Ich.Core.Errors.IchException"/>; the
    /// study is then retried up to --max-attempts and marked failed with the message.
    /// </summary>
    Task<StudyResult> ProcessAsync(StudyWorkItem item, CancellationToken cancel);
}

/// <summary>What a worker asks the processor to do.</summary>
/// <param name="StudyInstanceUid">The study (a validated UID).</param>
/// <param name="InstanceFolder">Folder holding the study's stored instances (SERIES/SOP.dcm below it).</param>
/// <param name="WorkFolder">Empty folder, private to this attempt, for the report and DICOM results.</param>
/// <param name="Attempt">1 on the first run, higher on retries.</param>
public sealed record StudyWorkItem(string StudyInstanceUid, string InstanceFolder, string WorkFolder, int Attempt);

/// <summary>Probabilities of one slice, in the class order of <c>Ich.Core</c> (HemorrhageClasses).</summary>
/// <param name="Index">0 = the lowest slice along the scan axis.</param>
/// <param name="SopInstanceUid">The instance the slice comes from.</param>
/// <param name="Probabilities">class name → probability.</param>
public sealed record SliceProbabilities(int Index, string SopInstanceUid, IReadOnlyDictionary<string, double> Probabilities);

/// <summary>The result of one study.</summary>
/// <param name="ModelVersion">The model that produced it.</param>
/// <param name="Max">class name → scan-level maximum over slices; must contain "any".</param>
/// <param name="FlaggedClasses">Classes above their operating threshold.</param>
/// <param name="Triage">True when the study should go to the top of the worklist.</param>
/// <param name="Slices">Per-slice probabilities, ordered by index.</param>
/// <param name="ReportFile">The HTML report, a path relative to the work folder, or null.</param>
/// <param name="DicomFiles">SR/KOS/SC Part 10 files, paths relative to the work folder.</param>
public sealed record StudyResult(
    string ModelVersion,
    IReadOnlyDictionary<string, double> Max,
    IReadOnlyList<string> FlaggedClasses,
    bool Triage,
    IReadOnlyList<SliceProbabilities> Slices,
    string? ReportFile,
    IReadOnlyList<string> DicomFiles);
