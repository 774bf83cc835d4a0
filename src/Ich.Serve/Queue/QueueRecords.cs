namespace Ich.Serve.Queue;

/// <summary>One stored instance as the intake reports it to the queue.</summary>
/// <param name="RelativePath">Path of the stored file relative to the data folder.</param>
public sealed record InstanceRecord(string StudyUid, string SeriesUid, string SopUid, string AccessionNumber, string RelativePath);

/// <summary>A worker's hold on one study; it is only valid while <see cref="Owner"/> matches the queue row.</summary>
/// <param name="Owner">Unique per claim, so a worker whose lease expired cannot complete someone else's run.</param>
/// <param name="Attempt">1 for the first run of this study generation, 2 after one retry, ...</param>
public sealed record StudyLease(string StudyUid, string Owner, int Attempt);

/// <summary>What a finished run stores in the queue row (the full result stays in the results folder).</summary>
/// <param name="ResultFolder">The result folder relative to the data folder.</param>
public sealed record StudyOutcome(
    bool Triage,
    double MaxAny,
    IReadOnlyDictionary<string, double> Max,
    IReadOnlyList<string> FlaggedClasses,
    string ModelVersion,
    string ResultFolder,
    double ProcessingSeconds);

/// <summary>One row of the queue as the API shows it.</summary>
public sealed record StudyRow(
    string StudyInstanceUid,
    string AccessionNumber,
    DateTimeOffset Received,
    string Status,
    int Attempts,
    int InstanceCount,
    bool? Triage,
    double? MaxAny,
    IReadOnlyDictionary<string, double>? Max,
    IReadOnlyList<string>? FlaggedClasses,
    string? ModelVersion,
    string? Error,
    string? ResultFolder);

/// <summary>How a worker's completion was taken.</summary>
public enum CompletionResult
{
    /// <summary>The study is done.</summary>
    Done,
    /// <summary>New instances arrived while it ran: it waits to be stable again and is processed anew.</summary>
    Requeued,
    /// <summary>The lease was no longer this worker's (expired and taken over): nothing was recorded.</summary>
    LeaseLost,
}
