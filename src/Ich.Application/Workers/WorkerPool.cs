using System.Diagnostics;
using System.Runtime.InteropServices;
using Ich.Core.Errors;

namespace Ich.Application.Workers;

/// <summary>How to start the <c>ich</c> CLI as a child process: a program and the arguments that come before the verb.</summary>
/// <param name="FileName">The program (<c>dotnet</c>, or an apphost).</param>
/// <param name="LeadingArguments">Arguments before the verb (the path of <c>ich.dll</c> when the program is <c>dotnet</c>).</param>
public sealed record IchLauncher(string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The launcher of the running CLI: its apphost, or <c>dotnet</c> with the entry assembly.</summary>
    public static IchLauncher OfThisProcess()
    {
        var process = Environment.ProcessPath ?? throw new InstallationException("cannot tell which program is running (no process path)");
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        var viaDotnet = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (viaDotnet && string.IsNullOrEmpty(entry)) throw new InstallationException("cannot tell which assembly is running under dotnet", process);
        return viaDotnet ? new IchLauncher(process, [entry!]) : new IchLauncher(process, []);
    }
}

/// <summary>One child run: a name for logs and errors (also its log file's name) and the CLI arguments after the launcher's.</summary>
public sealed record WorkerJob(string Name, IReadOnlyList<string> Arguments);

/// <summary>A worker process failed: names the job, its exit code and its log file (whose last lines are in the message).</summary>
public sealed class WorkerFailedException(string message, string logPath) : IchException(message, logPath);

/// <summary>
/// Runs independent jobs as child processes, at most <c>workers</c> at a time, each writing its output to
/// <c>&lt;logFolder&gt;/&lt;job&gt;.log</c>. Why processes and not threads: libtorch's random generator and its thread count
/// are process-wide, so two trainings in one process would draw from one generator and could not be reproduced.
/// A cancellation sends SIGTERM to every running child (the CLI saves its state on it and exits) and waits for them.
/// The first failed job stops the pool: no new job starts, the running ones are stopped the same way, and the failure
/// is thrown once they have exited.
/// </summary>
public sealed partial class WorkerPool
{
    private readonly IchLauncher _launcher;
    private readonly int _workers;
    private readonly string _logFolder;

    /// <param name="launcher">How to start the CLI.</param>
    /// <param name="workers">How many children may run at once (at least 1).</param>
    /// <param name="logFolder">Where each job's <c>&lt;name&gt;.log</c> goes (created).</param>
    public WorkerPool(IchLauncher launcher, int workers, string logFolder)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _launcher = launcher;
        _workers = workers;
        _logFolder = logFolder;
    }

    /// <summary>How long a stopped child may take to save its state and exit before it is killed.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Runs every job; true when all finished, false when cancelled (a failure throws <see cref="WorkerFailedException"/>).</summary>
    public bool Run(IReadOnlyList<WorkerJob> jobs, Action<string>? log = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Select(j => j.Name).Distinct(StringComparer.Ordinal).Count() != jobs.Count) throw new ArgumentException("job names must differ (they name the log files)", nameof(jobs));
        Directory.CreateDirectory(_logFolder);
        var queue = new Queue<WorkerJob>(jobs);
        var running = new List<Child>();
        WorkerFailedException? failure = null;
        try
        {
            while (queue.Count > 0 || running.Count > 0)
            {
                while (failure is null && !cancel.IsCancellationRequested && running.Count < _workers && queue.Count > 0)
                {
                    var job = queue.Dequeue();
                    log?.Invoke($"worker: {job.Name} started (log {LogPath(job)})");
                    running.Add(Start(job));
                }
                if (running.Count == 0) break;
                var finished = WaitAny(running, cancel);
                if (finished is null)
                {
                    // Cancelled: stop the running children and wait for them to save their state.
                    StopAll(running);
                    break;
                }
                running.Remove(finished);
                var code = finished.Process.ExitCode;
                finished.Dispose();
                if (code == 0) { log?.Invoke($"worker: {finished.Job.Name} done"); continue; }
                // Ctrl-C reaches the children too (one process group): one may stop before this process has seen its own
                // cancellation, which is then a stop, not a failure.
                if (code == InterruptedExitCode && cancel.WaitHandle.WaitOne(StopNoticeWait))
                {
                    StopAll(running);
                    break;
                }
                failure = Failure(finished.Job, code);
                StopAll(running);
                break;
            }
        }
        finally
        {
            foreach (var c in running) c.Dispose();
        }
        if (failure is not null) throw failure;
        return !cancel.IsCancellationRequested && queue.Count == 0;
    }

    private string LogPath(WorkerJob job) => Path.Combine(_logFolder, $"{job.Name}.log");

    private Child Start(WorkerJob job)
    {
        var info = new ProcessStartInfo(_launcher.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        foreach (var a in _launcher.LeadingArguments.Concat(job.Arguments)) info.ArgumentList.Add(a);
        // Appended, not rewritten: a resumed job's log keeps what the interrupted attempt printed (its last epochs, a
        // retried libtorch error), each attempt under its own start line.
        var writer = new StreamWriter(LogPath(job), append: true) { AutoFlush = true };
        writer.WriteLine($"=== {job.Name}: started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC ===");
        var child = new Child(job, new Process { StartInfo = info }, writer);
        child.Process.OutputDataReceived += (_, e) => child.Write(e.Data);
        child.Process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        try
        {
            child.Process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            child.Dispose();
            throw new InstallationException($"worker {job.Name}: the CLI did not start ({e.Message})", _launcher.FileName, e);
        }
        child.Process.BeginOutputReadLine();
        child.Process.BeginErrorReadLine();
        return child;
    }

    /// <summary>A running job: its process and the log its output and errors go to, line by line.</summary>
    private sealed class Child(WorkerJob job, Process process, StreamWriter log) : IDisposable
    {
        private readonly object _gate = new();
        public WorkerJob Job { get; } = job;
        public Process Process { get; } = process;

        private bool _closed;

        // A child stopped with a bounded wait may still deliver output after its log is closed: dropped, not thrown on a pool thread.
        public void Write(string? line)
        {
            if (line is null) return;
            lock (_gate) if (!_closed) log.WriteLine(line);
        }

        public void Dispose()
        {
            Process.Dispose();
            lock (_gate)
            {
                _closed = true;
                log.Dispose();
            }
        }
    }

    /// <summary>The first child to exit; null when the token is cancelled first.</summary>
    private static Child? WaitAny(List<Child> running, CancellationToken cancel)
    {
        while (true)
        {
            foreach (var r in running)
                if (r.Process.HasExited) { r.Process.WaitForExit(); return r; } // the no-argument wait also drains the output
            if (cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(200))) return null;
        }
    }

    private void StopAll(List<Child> running)
    {
        foreach (var c in running)
            if (!c.Process.HasExited) _ = Kill(c.Process.Id, SigTerm);
        var deadline = DateTime.UtcNow + StopGrace;
        foreach (var p in running.Select(c => c.Process))
        {
            var left = deadline - DateTime.UtcNow;
            if (!p.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero)) p.Kill(entireProcessTree: true);
            // Bounded: a process the child left behind could keep the output pipe open after the child has gone.
            p.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    private WorkerFailedException Failure(WorkerJob job, int code)
    {
        var path = LogPath(job);
        var tail = File.Exists(path) ? File.ReadLines(path).Where(l => l.Length > 0).TakeLast(5).ToList() : [];
        return new WorkerFailedException(
            $"worker {job.Name} failed (exit code {code}){(tail.Count > 0 ? ": " + string.Join(" | ", tail) : "")}", path);
    }

    private const int SigTerm = 15;

    /// <summary>The CLI's exit code after a stop (Ctrl-C, SIGTERM) with its state saved.</summary>
    private const int InterruptedExitCode = 130;

    private static readonly TimeSpan StopNoticeWait = TimeSpan.FromSeconds(5);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
