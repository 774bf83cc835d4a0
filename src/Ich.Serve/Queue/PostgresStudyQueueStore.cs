using System.Data;
using System.Data.Common;
using Ich.Core.Errors;
using Npgsql;

namespace Ich.Serve.Queue;

/// <summary>
/// The scale-out engine: any number of worker processes, on any number of machines, share one queue in
/// PostgreSQL. A claim locks its row with <c>FOR UPDATE SKIP LOCKED</c>, so two workers never take the
/// same study and never wait for each other; a lease that is not renewed by heartbeats expires and the
/// study is retried (see <see cref="SqlStudyQueueStore.ClaimAsync"/>).
/// </summary>
public sealed class PostgresStudyQueueStore : SqlStudyQueueStore
{
    private const long SchemaLockKey = 0x1C4_5E12E; // any constant shared by every ich process

    private readonly NpgsqlDataSource _dataSource;

    public PostgresStudyQueueStore(string dsn)
    {
        _dataSource = NpgsqlDataSource.Create(ToConnectionString(dsn));
    }

    protected override string ClaimLockClause => "FOR UPDATE SKIP LOCKED";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancel) =>
        await _dataSource.OpenConnectionAsync(cancel).ConfigureAwait(false);

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancel) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancel).ConfigureAwait(false);

    protected override async Task BeforeSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancel)
    {
        // CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin in PostgreSQL: serialise it.
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("key", SchemaLockKey);
        await command.ExecuteNonQueryAsync(cancel).ConfigureAwait(false);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Turns <c>postgres://user:password@host:port/database?host=/socket/dir&amp;sslmode=...</c> into an Npgsql
    /// connection string. A <c>host</c> query parameter (a unix-socket folder) overrides the URL host.
    /// </summary>
    public static string ToConnectionString(string dsn)
    {
        if (!Uri.TryCreate(dsn, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            throw new ConfigException("--db must be a postgres://user[:password]@host[:port]/database URL");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (string.IsNullOrEmpty(builder.Database)) throw new ConfigException("--db must name a database (postgres://host/DATABASE)");
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length == 2) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (kv[0])
            {
                case "host": builder.Host = value; break;
                case "port": builder.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "sslmode": builder.SslMode = Enum.Parse<SslMode>(value, ignoreCase: true); break;
                default: throw new ConfigException($"--db: unknown parameter '{kv[0]}' (host, port and sslmode are accepted)");
            }
        }
        return builder.ConnectionString;
    }
}
