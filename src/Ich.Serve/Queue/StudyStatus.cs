namespace Ich.Serve.Queue;

/// <summary>The states of a study in the queue, spelled exactly as the API reports them.</summary>
public static class StudyStatus
{
    /// <summary>Instances are arriving; the study is not yet stable.</summary>
    public const string Receiving = "receiving";
    /// <summary>Stable and waiting for a worker.</summary>
    public const string Queued = "queued";
    /// <summary>A worker holds a lease on it.</summary>
    public const string Running = "running";
    /// <summary>Results written and recorded.</summary>
    public const string Done = "done";
    /// <summary>Gave up after --max-attempts; the error says why.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Receiving, Queued, Running, Done, Failed];
}
