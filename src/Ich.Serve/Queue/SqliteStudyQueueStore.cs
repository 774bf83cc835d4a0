using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Ich.Serve.Queue;

/// <summary>
/// The embedded default engine: one SQLite file inside the data folder, in WAL mode with
/// <c>synchronous=FULL</c> so a committed row survives a power cut. Writers are serialised by
/// <c>BEGIN IMMEDIATE</c>; several processes on one machine may share the file, but processes on other
/// machines need <see cref="PostgresStudyQueueStore"/> (SQLite over a network file system is not safe).
/// </summary>
public sealed class SqliteStudyQueueStore : SqlStudyQueueStore
{
    private readonly string _connectionString;

    public SqliteStudyQueueStore(string file)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30, // seconds a writer waits for the lock (busy timeout)
        }.ToString();
    }

    protected override string ClaimLockClause => "";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancel)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancel).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            await pragma.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancel) =>
        // Microsoft.Data.Sqlite begins a non-deferred transaction with BEGIN IMMEDIATE: the write lock is
        // taken up front, so a claim's SELECT and UPDATE see no other writer in between.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
