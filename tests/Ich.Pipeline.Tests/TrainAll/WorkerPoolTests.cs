using Ich.Application.Workers;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// The pool that runs worker processes: at most N at a time, every job's output in its own log, a failure named with its
/// log, and a cancellation that stops the children with SIGTERM (what the CLI saves its state on). The children here are
/// shell scripts, so the tests check the pool and not the CLI.
/// </summary>
public sealed class WorkerPoolTests : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDir("ich-worker-pool");

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly IchLauncher Shell = new("/bin/sh", ["-c"]);

    private WorkerPool Pool(int workers) => new(Shell, workers, Path.Combine(_dir, "logs")) { StopGrace = TimeSpan.FromSeconds(20) };

    private string Events => Path.Combine(_dir, "events.txt");

    /// <summary>A job that records its start and end in the shared events file, sleeping between them.</summary>
    private WorkerJob Recorded(string name, double seconds) =>
        new(name, [$"echo start {name} >> '{Events}'; echo output of {name}; sleep {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; echo end {name} >> '{Events}'"]);

    [Fact]
    public void Run_SixJobsTwoWorkers_AllRunNeverMoreThanTwoAtOnce_EachWithItsLog()
    {
        var jobs = Enumerable.Range(0, 6).Select(i => Recorded($"job{i}", 0.3)).ToList();
        var messages = new List<string>();

        Assert.True(Pool(2).Run(jobs, messages.Add));

        var events = File.ReadAllLines(Events);
        Assert.Equal(12, events.Length);
        int running = 0, most = 0;
        foreach (var e in events)
        {
            running += e.StartsWith("start ", StringComparison.Ordinal) ? 1 : -1;
            most = Math.Max(most, running);
        }
        Assert.Equal(2, most); // two at a time, not one after another and not more
        foreach (var job in jobs)
        {
            var log = File.ReadAllLines(Path.Combine(_dir, "logs", $"{job.Name}.log"));
            Assert.Equal(2, log.Length);
            Assert.StartsWith($"=== {job.Name}: started ", log[0], StringComparison.Ordinal);
            Assert.Equal($"output of {job.Name}", log[1]);
            Assert.Contains($"worker: {job.Name} done", messages);
        }
    }

    [Fact]
    public void Run_TheSameJobAgain_AppendsToItsLog_KeepingWhatTheFirstAttemptPrinted()
    {
        Assert.True(Pool(1).Run([new WorkerJob("fold0", ["echo first attempt"])]));
        Assert.True(Pool(1).Run([new WorkerJob("fold0", ["echo resumed"])]));

        var log = File.ReadAllLines(Path.Combine(_dir, "logs", "fold0.log"));
        Assert.Equal(4, log.Length);
        Assert.Equal(["first attempt", "resumed"], new[] { log[1], log[3] });
        Assert.All(new[] { log[0], log[2] }, l => Assert.StartsWith("=== fold0: started ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Run_AJobFails_NoNewJobStarts_AndTheErrorNamesTheJobItsExitCodeAndLog()
    {
        var jobs = new List<WorkerJob> { new("bad", ["echo reading the config; echo 'error: no such store' >&2; exit 3"]) };
        jobs.AddRange(Enumerable.Range(0, 3).Select(i => Recorded($"later{i}", 0.1)));

        var e = Assert.Throws<WorkerFailedException>(() => Pool(1).Run(jobs));

        Assert.Contains("worker bad failed (exit code 3)", e.Message);
        Assert.Contains("error: no such store", e.Message);
        Assert.Equal(Path.Combine(_dir, "logs", "bad.log"), e.Path);
        Assert.False(File.Exists(Events)); // with one worker, nothing after the failed job started
    }

    [Fact]
    public async Task Run_Cancelled_RunningChildrenGetSigtermAndTheRestNeverStart()
    {
        var stopped = Path.Combine(_dir, "stopped.txt");
        // The child traps SIGTERM as the CLI does: it records the signal and exits 130. `sleep` runs in the background
        // so the shell handles the trap at once, and the trap ends it (it holds the output pipe the pool reads to its end).
        WorkerJob Long(string name) => new(name, [$"trap 'kill $!; echo {name} >> \"{stopped}\"; exit 130' TERM; echo started {name} >> '{Events}'; sleep 60 & wait"]);
        var jobs = new[] { Long("a"), Long("b"), Long("c") };
        using var cancel = new CancellationTokenSource();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var pool = Task.Run(() => Pool(2).Run(jobs, cancel: cancel.Token));
        // Wait (bounded) until both running children have started, then cancel.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((!File.Exists(Events) || File.ReadAllLines(Events).Length < 2) && DateTime.UtcNow < deadline) await Task.Delay(50);
        await cancel.CancelAsync();

        Assert.True(await Task.WhenAny(pool, Task.Delay(TimeSpan.FromSeconds(30))) == pool, "the pool did not return after the cancellation");
        Assert.False(await pool);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45)); // the 60 s children were stopped, not waited for
        Assert.Equal(["a", "b"], File.ReadAllLines(stopped).Order(StringComparer.Ordinal));
        Assert.Equal(["started a", "started b"], File.ReadAllLines(Events).Order(StringComparer.Ordinal)); // c never started
    }

    [Fact]
    public async Task Run_ChildStopsOnTheSameCtrlC_IsAStopNotAFailure_ButAnUnaskedStopIsAFailure()
    {
        // A child that exits 130 as the CLI does on Ctrl-C, which reaches it and this process alike.
        WorkerJob Interrupted(string name) => new(name, [$"echo started {name} >> '{Events}'; sleep 0.5; exit 130"]);
        using var cancel = new CancellationTokenSource();
        var pool = Task.Run(() => Pool(1).Run([Interrupted("a"), Interrupted("b")], cancel: cancel.Token));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(Events) && DateTime.UtcNow < deadline) await Task.Delay(20);
        await cancel.CancelAsync();
        Assert.True(await Task.WhenAny(pool, Task.Delay(TimeSpan.FromSeconds(30))) == pool, "the pool did not return after the cancellation");
        Assert.False(await pool);
        Assert.Equal(["started a"], File.ReadAllLines(Events));

        var unasked = Assert.Throws<WorkerFailedException>(() => Pool(1).Run([Interrupted("c")]));
        Assert.Contains("worker c failed (exit code 130)", unasked.Message);
    }

    [Fact]
    public void Run_NoJobs_TrueAtOnce_AndDuplicateNamesAreRefused()
    {
        Assert.True(Pool(2).Run([]));
        Assert.Throws<ArgumentException>(() => Pool(2).Run([new WorkerJob("x", ["true"]), new WorkerJob("x", ["true"])]));
    }
}
