namespace Ich.Serve.Hosting;

/// <summary>Which parts of the service a process runs.</summary>
public enum ServeRole
{
    /// <summary>Intake, API, stable-study detection and workers in one process (default).</summary>
    All,
    /// <summary>Intake, API and stable-study detection; no workers.</summary>
    Intake,
    /// <summary>Workers only (plus /healthz and /metrics), sharing the queue of the intake.</summary>
    Worker,
}

/// <summary>Options of <c>ich serve</c>, validated by <see cref="ServeOptionsValidator"/>.</summary>
public sealed record ServeOptions
{
    /// <summary>Data folder: stored instances, results and (by default) the SQLite queue.</summary>
    public required string DataDir { get; init; }
    /// <summary>Kestrel listen URLs, ';'-separated.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8042";
    /// <summary>postgres://... for the PostgreSQL queue; null for SQLite inside <see cref="DataDir"/>.</summary>
    public string? Db { get; init; }
    /// <summary>Worker loops in this process.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Model folder handed to the processor factory (null: its default).</summary>
    public string? ModelDir { get; init; }
    /// <summary>File holding the bearer token; null: no authentication (loopback only).</summary>
    public string? TokenFile { get; init; }
    /// <summary>Seconds without a new instance after which a study is queued.</summary>
    public double StableSeconds { get; init; } = 10;
    /// <summary>DICOMweb base URL receiving the DICOM results, or null.</summary>
    public string? ForwardTo { get; init; }
    public ServeRole Role { get; init; } = ServeRole.All;
    /// <summary>Runs of one study before it is marked failed.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Largest accepted request body, bytes.</summary>
    public long MaxBodyBytes { get; init; } = 2L * 1024 * 1024 * 1024;
    /// <summary>Largest accepted multipart part (one instance), bytes.</summary>
    public long MaxPartBytes { get; init; } = 512L * 1024 * 1024;
    /// <summary>A worker lease lasts this long unless renewed by a heartbeat.</summary>
    public double LeaseSeconds { get; init; } = 60;
    /// <summary>How often the queue is polled for stable studies and for work.</summary>
    public double PollSeconds { get; init; } = 0.5;

    /// <summary>Heartbeats renew the lease three times per lease period, so one late beat does not lose it.</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromSeconds(LeaseSeconds / 3);

    public bool RunsIntake => Role is ServeRole.All or ServeRole.Intake;
    public bool RunsWorkers => Role is ServeRole.All or ServeRole.Worker;
}
