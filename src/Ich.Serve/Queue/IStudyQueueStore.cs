namespace Ich.Serve.Queue;

/// <summary>
/// The durable study queue shared by intake and workers. Two engines implement it with the same SQL
/// semantics: SQLite (one machine, default) and PostgreSQL (any number of worker processes). All times
/// are supplied by the caller so that tests and the stable-study rule use one clock.
/// </summary>
public interface IStudyQueueStore : IAsyncDisposable
{
    /// <summary>Creates the tables when missing. Safe to call from several processes at once.</summary>
    Task InitializeAsync(CancellationToken cancel);

    /// <summary>
    /// Records a stored instance. Returns false when this SOP Instance was already known (stored once).
    /// A new instance makes the study "receiving" again, even if it was done or failed, so it is reprocessed.
    /// </summary>
    Task<bool> RecordInstanceAsync(InstanceRecord instance, DateTimeOffset now, CancellationToken cancel);

    /// <summary>Moves every receiving study whose last instance arrived at or before <paramref name="cutoff"/> to queued.</summary>
    Task<int> PromoteStableAsync(DateTimeOffset cutoff, CancellationToken cancel);

    /// <summary>
    /// Takes one queued study (or a running one whose lease expired) for <paramref name="leaseDuration"/>.
    /// Expired leases that already used <paramref name="maxAttempts"/> become failed instead. Null when none.
    /// </summary>
    Task<StudyLease?> ClaimAsync(string workerName, TimeSpan leaseDuration, int maxAttempts, DateTimeOffset now, CancellationToken cancel);

    /// <summary>Extends a lease; false when it is no longer held (the worker must stop).</summary>
    Task<bool> HeartbeatAsync(StudyLease lease, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancel);

    /// <summary>Records a finished run; see <see cref="CompletionResult"/>.</summary>
    Task<CompletionResult> CompleteAsync(StudyLease lease, StudyOutcome outcome, DateTimeOffset now, CancellationToken cancel);

    /// <summary>Records a failed run: back to queued for a retry, or failed when attempts reached <paramref name="maxAttempts"/>.</summary>
    Task FailAsync(StudyLease lease, string reason, int maxAttempts, CancellationToken cancel);

    /// <summary>Gives a lease back without counting the attempt (graceful shutdown).</summary>
    Task ReleaseAsync(StudyLease lease, CancellationToken cancel);

    /// <summary>Every study, newest received first.</summary>
    Task<IReadOnlyList<StudyRow>> ListAsync(CancellationToken cancel);

    /// <summary>One study, or null.</summary>
    Task<StudyRow?> GetAsync(string studyUid, CancellationToken cancel);

    /// <summary>Number of studies per status (every status present, zero when none).</summary>
    Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancel);

    /// <summary>Paths (relative to the data folder) of the stored instances of a study.</summary>
    Task<IReadOnlyList<string>> InstancePathsAsync(string studyUid, CancellationToken cancel);
}
