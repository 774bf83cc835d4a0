using System.Diagnostics;
using Npgsql;

namespace Ich.Serve.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL 15 server (Debian's postgresql-15 binaries) listening only on a unix socket in
/// a temp folder: initdb, pg_ctl start, and on dispose pg_ctl stop, then SIGKILL of its postmaster PID if
/// it is still there. As root (CI, the dev box) the server runs as the "postgres" user via runuser, since
/// PostgreSQL refuses to run as root. Skips by name when the binaries are absent.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    private readonly string _dir;
    private readonly bool _asPostgresUser;
    private int _databases;

    private PostgresServer(string dir, bool asPostgresUser, int pid)
    {
        _dir = dir;
        _asPostgresUser = asPostgresUser;
        Pid = pid;
    }

    public int Pid { get; }

    /// <summary>Folder of the unix socket.</summary>
    public string SocketDir => _dir;

    public static PostgresServer Start()
    {
        Skip.IfNot(File.Exists(Path.Combine(BinDir, "initdb")),
            $"skipped: PostgreSQL 15 not installed ({BinDir}/initdb missing; apt package postgresql-15)");
        var asPostgres = Environment.UserName == "root";
        var dir = Path.Combine("/tmp", $"ich-pg-{Guid.NewGuid():N}"[..20]); // short: unix socket paths are limited to 107 bytes
        Directory.CreateDirectory(dir);
        if (asPostgres) Run("chown", ["postgres:postgres", dir], asPostgres: false);
        var data = Path.Combine(dir, "data");
        Run(Path.Combine(BinDir, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asPostgres);
        Run(Path.Combine(BinDir, "pg_ctl"), ["-D", data, "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
            "-o", $"-k {dir} -c listen_addresses='' -c fsync=off -c max_connections=200", "start"], asPostgres);
        var pid = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);
        return new PostgresServer(dir, asPostgres, pid);
    }

    /// <summary>Creates a fresh database and returns its postgres:// DSN.</summary>
    public string NewDatabase()
    {
        var name = $"ich_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..24];
        using var connection = new NpgsqlConnection($"Host={_dir};Username=postgres;Database=postgres;Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return $"postgres://postgres@localhost/{name}?host={Uri.EscapeDataString(_dir)}";
    }

    public void Dispose()
    {
        try
        {
            Run(Path.Combine(BinDir, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "-t", "30", "stop"], _asPostgresUser);
        }
        catch (InvalidOperationException)
        {
            try { Process.GetProcessById(Pid).Kill(); } catch (ArgumentException) { } // already gone
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static void Run(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file }) info.ArgumentList.Add(a);
        }
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(90_000))
        {
            process.Kill();
            throw new InvalidOperationException($"{file} timed out");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {stdout.Result}{stderr.Result}");
    }
}

/// <summary>One PostgreSQL server shared by the tests of a class.</summary>
public sealed class PostgresFixture : IDisposable
{
    private readonly Lazy<PostgresServer> _server = new(PostgresServer.Start);

    public PostgresServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated) _server.Value.Dispose();
    }
}
