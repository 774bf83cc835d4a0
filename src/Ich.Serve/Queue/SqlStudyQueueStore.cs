using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Ich.Serve.Queue;

/// <summary>
/// The queue logic in plain SQL that SQLite and PostgreSQL both run unchanged; an engine supplies only
/// how to open a connection, how to begin a writing transaction and the row-locking clause (PostgreSQL's
/// <c>FOR UPDATE SKIP LOCKED</c>, so concurrent workers never claim the same study; SQLite serialises
/// writers with <c>BEGIN IMMEDIATE</c> instead). Times are stored as Unix milliseconds.
/// </summary>
public abstract class SqlStudyQueueStore : IStudyQueueStore
{
    private const string Columns =
        "study_uid, accession, received, status, attempts, instance_count, triage, max_any, max_json, flagged_json, model_version, error, result_folder";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS studies (
          study_uid TEXT PRIMARY KEY,
          accession TEXT NOT NULL,
          received BIGINT NOT NULL,
          last_instance BIGINT NOT NULL,
          instance_count INTEGER NOT NULL,
          generation INTEGER NOT NULL,
          status TEXT NOT NULL,
          attempts INTEGER NOT NULL,
          lease_owner TEXT NULL,
          lease_expires BIGINT NULL,
          claimed_generation INTEGER NULL,
          triage INTEGER NULL,
          max_any DOUBLE PRECISION NULL,
          max_json TEXT NULL,
          flagged_json TEXT NULL,
          model_version TEXT NULL,
          error TEXT NULL,
          result_folder TEXT NULL,
          done_at BIGINT NULL,
          processing_seconds DOUBLE PRECISION NULL);
        CREATE INDEX IF NOT EXISTS studies_status_received ON studies (status, received);
        CREATE TABLE IF NOT EXISTS instances (
          sop_uid TEXT PRIMARY KEY,
          study_uid TEXT NOT NULL,
          series_uid TEXT NOT NULL,
          path TEXT NOT NULL,
          stored_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS instances_study ON instances (study_uid);
        """;

    /// <summary>Opens a connection ready for use.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancel);

    /// <summary>Begins a transaction that writes (SQLite: BEGIN IMMEDIATE).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancel);

    /// <summary>Appended to the SELECT that picks the study to claim.</summary>
    protected abstract string ClaimLockClause { get; }

    /// <summary>Runs inside the schema transaction before the CREATE statements (PostgreSQL: an advisory lock).</summary>
    protected virtual Task BeforeSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancel) => Task.CompletedTask;

    public async Task InitializeAsync(CancellationToken cancel)
    {
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        await BeforeSchemaAsync(connection, tx, cancel).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, Schema, cancel).ConfigureAwait(false);
        await tx.CommitAsync(cancel).ConfigureAwait(false);
    }

    public async Task<bool> RecordInstanceAsync(InstanceRecord instance, DateTimeOffset now, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var ms = now.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        var inserted = await ExecuteAsync(connection, tx,
            "INSERT INTO instances (sop_uid, study_uid, series_uid, path, stored_at) VALUES (@sop, @study, @series, @path, @now) ON CONFLICT (sop_uid) DO NOTHING",
            cancel, ("sop", instance.SopUid), ("study", instance.StudyUid), ("series", instance.SeriesUid), ("path", instance.RelativePath), ("now", ms)).ConfigureAwait(false);
        if (inserted == 1)
        {
            // A new instance restarts the stable-study clock; a finished study goes back to receiving so it
            // is processed again with all its instances. A running one keeps running: its completion sees
            // the changed generation and requeues it (CompleteAsync).
            await ExecuteAsync(connection, tx, """
                INSERT INTO studies (study_uid, accession, received, last_instance, instance_count, generation, status, attempts)
                VALUES (@study, @acc, @now, @now, 1, 1, 'receiving', 0)
                ON CONFLICT (study_uid) DO UPDATE SET
                  last_instance = @now,
                  instance_count = studies.instance_count + 1,
                  generation = studies.generation + 1,
                  attempts = CASE WHEN studies.status IN ('done', 'failed') THEN 0 ELSE studies.attempts END,
                  status = CASE WHEN studies.status IN ('done', 'failed', 'queued') THEN 'receiving' ELSE studies.status END,
                  accession = CASE WHEN studies.accession = '' THEN excluded.accession ELSE studies.accession END
                """, cancel, ("study", instance.StudyUid), ("acc", instance.AccessionNumber), ("now", ms)).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancel).ConfigureAwait(false);
        return inserted == 1;
    }

    public async Task<int> PromoteStableAsync(DateTimeOffset cutoff, CancellationToken cancel)
    {
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        var n = await ExecuteAsync(connection, tx,
            "UPDATE studies SET status = 'queued' WHERE status = 'receiving' AND last_instance <= @cutoff",
            cancel, ("cutoff", cutoff.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        await tx.CommitAsync(cancel).ConfigureAwait(false);
        return n;
    }

    public async Task<StudyLease?> ClaimAsync(string workerName, TimeSpan leaseDuration, int maxAttempts, DateTimeOffset now, CancellationToken cancel)
    {
        var ms = now.ToUnixTimeMilliseconds();
        var owner = $"{workerName}/{Guid.NewGuid():N}";
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        // A lease that expired means its worker died or hung; after the last allowed attempt that is final.
        await ExecuteAsync(connection, tx, """
            UPDATE studies SET status = 'failed', lease_owner = NULL, lease_expires = NULL,
              error = 'the worker lease expired on attempt ' || CAST(attempts AS TEXT) || ' of ' || CAST(@max AS TEXT) || ' (worker process died or hung)'
            WHERE status = 'running' AND lease_expires < @now AND attempts >= @max
            """, cancel, ("now", ms), ("max", maxAttempts)).ConfigureAwait(false);
        StudyLease? lease = null;
        await using (var command = Command(connection, tx, $"""
            UPDATE studies SET status = 'running', attempts = attempts + 1, lease_owner = @owner, lease_expires = @expires,
              claimed_generation = generation
            WHERE study_uid = (
              SELECT study_uid FROM studies
              WHERE status = 'queued' OR (status = 'running' AND lease_expires < @now AND attempts < @max)
              ORDER BY received, study_uid LIMIT 1 {ClaimLockClause})
            RETURNING study_uid, attempts
            """, ("owner", owner), ("expires", ms + (long)leaseDuration.TotalMilliseconds), ("now", ms), ("max", maxAttempts)))
        await using (var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancel).ConfigureAwait(false))
                lease = new StudyLease(reader.GetString(0), owner, Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture));
        }
        await tx.CommitAsync(cancel).ConfigureAwait(false);
        return lease;
    }

    public async Task<bool> HeartbeatAsync(StudyLease lease, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        var n = await ExecuteAsync(connection, tx,
            "UPDATE studies SET lease_expires = @expires WHERE study_uid = @study AND lease_owner = @owner AND status = 'running'",
            cancel, ("expires", now.ToUnixTimeMilliseconds() + (long)leaseDuration.TotalMilliseconds), ("study", lease.StudyUid), ("owner", lease.Owner)).ConfigureAwait(false);
        await tx.CommitAsync(cancel).ConfigureAwait(false);
        return n == 1;
    }

    public async Task<CompletionResult> CompleteAsync(StudyLease lease, StudyOutcome outcome, DateTimeOffset now, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        string? status = null;
        await using (var command = Command(connection, tx, """
            UPDATE studies SET
              status = CASE WHEN generation = claimed_generation THEN 'done' ELSE 'receiving' END,
              attempts = CASE WHEN generation = claimed_generation THEN attempts ELSE 0 END,
              lease_owner = NULL, lease_expires = NULL, error = NULL,
              triage = @triage, max_any = @maxany, max_json = @max, flagged_json = @flagged, model_version = @model,
              result_folder = @folder, done_at = @now, processing_seconds = @seconds
            WHERE study_uid = @study AND lease_owner = @owner AND status = 'running'
            RETURNING status
            """,
            ("triage", outcome.Triage ? 1 : 0), ("maxany", outcome.MaxAny), ("max", JsonSerializer.Serialize(outcome.Max)),
            ("flagged", JsonSerializer.Serialize(outcome.FlaggedClasses)), ("model", outcome.ModelVersion), ("folder", outcome.ResultFolder),
            ("now", now.ToUnixTimeMilliseconds()), ("seconds", outcome.ProcessingSeconds), ("study", lease.StudyUid), ("owner", lease.Owner)))
        await using (var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancel).ConfigureAwait(false)) status = reader.GetString(0);
        }
        await tx.CommitAsync(cancel).ConfigureAwait(false);
        return status switch
        {
            null => CompletionResult.LeaseLost,
            StudyStatus.Done => CompletionResult.Done,
            _ => CompletionResult.Requeued,
        };
    }

    public async Task FailAsync(StudyLease lease, string reason, int maxAttempts, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, """
            UPDATE studies SET status = CASE WHEN attempts >= @max THEN 'failed' ELSE 'queued' END,
              error = @reason, lease_owner = NULL, lease_expires = NULL
            WHERE study_uid = @study AND lease_owner = @owner AND status = 'running'
            """, cancel, ("max", maxAttempts), ("reason", reason), ("study", lease.StudyUid), ("owner", lease.Owner)).ConfigureAwait(false);
        await tx.CommitAsync(cancel).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(StudyLease lease, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var tx = await BeginWriteAsync(connection, cancel).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, """
            UPDATE studies SET status = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_expires = NULL
            WHERE study_uid = @study AND lease_owner = @owner AND status = 'running'
            """, cancel, ("study", lease.StudyUid), ("owner", lease.Owner)).ConfigureAwait(false);
        await tx.CommitAsync(cancel).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StudyRow>> ListAsync(CancellationToken cancel) =>
        await QueryRowsAsync($"SELECT {Columns} FROM studies ORDER BY received DESC, study_uid", cancel).ConfigureAwait(false);

    public async Task<StudyRow?> GetAsync(string studyUid, CancellationToken cancel) =>
        (await QueryRowsAsync($"SELECT {Columns} FROM studies WHERE study_uid = @study", cancel, ("study", studyUid)).ConfigureAwait(false))
        .SingleOrDefault();

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken cancel)
    {
        var counts = StudyStatus.All.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT status, COUNT(*) FROM studies GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
        while (await reader.ReadAsync(cancel).ConfigureAwait(false))
            counts[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        return counts;
    }

    public async Task<IReadOnlyList<string>> InstancePathsAsync(string studyUid, CancellationToken cancel)
    {
        var paths = new List<string>();
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT path FROM instances WHERE study_uid = @study ORDER BY path", ("study", studyUid));
        await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
        while (await reader.ReadAsync(cancel).ConfigureAwait(false)) paths.Add(reader.GetString(0));
        return paths;
    }

    public abstract ValueTask DisposeAsync();

    private async Task<List<StudyRow>> QueryRowsAsync(string sql, CancellationToken cancel, params (string Name, object? Value)[] parameters)
    {
        var rows = new List<StudyRow>();
        await using var connection = await OpenAsync(cancel).ConfigureAwait(false);
        await using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancel).ConfigureAwait(false);
        while (await reader.ReadAsync(cancel).ConfigureAwait(false)) rows.Add(ReadRow(reader));
        return rows;
    }

    private static StudyRow ReadRow(DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        long? Long(int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        double? Double(int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);
        return new StudyRow(
            StudyInstanceUid: r.GetString(0),
            AccessionNumber: r.GetString(1),
            Received: DateTimeOffset.FromUnixTimeMilliseconds(Long(2)!.Value),
            Status: r.GetString(3),
            Attempts: (int)Long(4)!.Value,
            InstanceCount: (int)Long(5)!.Value,
            Triage: Long(6) is { } t ? t != 0 : null,
            MaxAny: Double(7),
            Max: Text(8) is { } m ? JsonSerializer.Deserialize<Dictionary<string, double>>(m) : null,
            FlaggedClasses: Text(9) is { } f ? JsonSerializer.Deserialize<List<string>>(f) : null,
            ModelVersion: Text(10),
            Error: Text(11),
            ResultFolder: Text(12));
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken cancel, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // the SQL is constant text of this class; every value is a parameter
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        return command;
    }
}
