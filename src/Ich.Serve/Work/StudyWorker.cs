using System.Diagnostics;
using Ich.Core.Errors;
using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Ich.Serve.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ich.Serve.Work;

/// <summary>
/// The worker loops of one process (--workers N): claim a stable study, keep its lease alive by
/// heartbeats, run the <see cref="IStudyProcessor"/>, publish the results atomically, forward the DICOM
/// results, and only then mark the study done. A crash at any point leaves the lease to expire, and the
/// study is retried by whichever worker claims it next; a lost lease stops the run without recording it.
/// </summary>
public sealed partial class StudyWorker(
    IStudyQueueStore queue,
    IStudyProcessor processor,
    IResultForwarder? forwarder,
    ResultStore results,
    DataLayout layout,
    ServeMetrics metrics,
    ServeOptions options,
    TimeProvider clock,
    ILogger<StudyWorker> log) : BackgroundService
{
    private readonly string _name = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Workers).Select(i => LoopAsync($"{_name}:{i}", stoppingToken)));

    private async Task LoopAsync(string worker, CancellationToken stop)
    {
        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        while (!stop.IsCancellationRequested)
        {
            StudyLease? claimed = null;
            try
            {
                claimed = await queue.ClaimAsync(worker, lease, options.MaxAttempts, clock.GetUtcNow(), stop).ConfigureAwait(false);
                if (claimed is not null) await RunAsync(claimed, lease, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                if (claimed is not null) await TryReleaseAsync(claimed).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                // Queue unreachable and the like: the lease (if any) expires and the study is retried.
                LogLoopError(worker, e.GetType().Name, e.Message);
            }
            if (claimed is null)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(options.PollSeconds), clock, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task RunAsync(StudyLease lease, TimeSpan leaseDuration, CancellationToken stop)
    {
        LogClaimed(lease.StudyUid, lease.Attempt);
        var claimedAt = DateTime.UtcNow;
        var started = Stopwatch.GetTimestamp();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var heartbeat = StartHeartbeat(lease, leaseDuration, run);
        var work = results.NewWorkFolder(lease.StudyUid);
        try
        {
            var item = new StudyWorkItem(lease.StudyUid, layout.StudyFolder(lease.StudyUid), work, lease.Attempt);
            var result = await processor.ProcessAsync(item, run.Token).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var folder = results.Publish(lease.StudyUid, work, result, seconds);
            if (forwarder is not null)
            {
                var files = result.DicomFiles.Select(f => results.FileOf(folder, f)).ToList();
                await forwarder.ForwardAsync(lease.StudyUid, files, run.Token).ConfigureAwait(false);
            }
            await heartbeat.StopAsync().ConfigureAwait(false);
            var outcome = new StudyOutcome(result.Triage, result.Max["any"], result.Max, result.FlaggedClasses,
                result.ModelVersion, folder, seconds);
            var completion = await queue.CompleteAsync(lease, outcome, clock.GetUtcNow(), stop).ConfigureAwait(false);
            switch (completion)
            {
                case CompletionResult.Done:
                    metrics.StudyProcessed(seconds);
                    results.PruneOlder(lease.StudyUid, folder, claimedAt);
                    LogDone(lease.StudyUid, seconds);
                    break;
                case CompletionResult.Requeued:
                    LogRequeued(lease.StudyUid);
                    break;
                default:
                    LogLeaseLost(lease.StudyUid);
                    break;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            ResultStore.Discard(work);
            throw; // shutting down: the loop gives the lease back
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            ResultStore.Discard(work);
            LogLeaseLost(lease.StudyUid);
        }
        catch (Exception e)
        {
            // Bad input (IchException) or anything else the processor, the publishing or the forwarder raised,
            // including a timeout of its own: a failed attempt, retried up to --max-attempts.
            ResultStore.Discard(work);
            metrics.StudyFailed();
            var reason = e is IchException ich ? ich.Message : $"{e.GetType().Name}: {e.Message}";
            LogFailed(lease.StudyUid, lease.Attempt, reason);
            await queue.FailAsync(lease, reason, options.MaxAttempts, stop).ConfigureAwait(false);
        }
    }

    private Heartbeat StartHeartbeat(StudyLease lease, TimeSpan leaseDuration, CancellationTokenSource run) =>
        new(async token =>
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(options.HeartbeatInterval, clock, token).ConfigureAwait(false);
                bool held;
                try { held = await queue.HeartbeatAsync(lease, leaseDuration, clock.GetUtcNow(), token).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogLoopError(lease.StudyUid, e.GetType().Name, e.Message);
                    continue; // a transient queue error: the next beat may still come in time
                }
                if (!held)
                {
                    await run.CancelAsync().ConfigureAwait(false); // someone else owns the study now: stop this run
                    return;
                }
            }
        });

    private async Task TryReleaseAsync(StudyLease lease)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await queue.ReleaseAsync(lease, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogLoopError(lease.StudyUid, e.GetType().Name, e.Message); // the lease simply expires instead
        }
    }

    /// <summary>A background heartbeat loop stopped before the completion is recorded.</summary>
    private sealed class Heartbeat : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private readonly Task _loop;

        public Heartbeat(Func<CancellationToken, Task> loop)
        {
            _loop = Task.Run(() => loop(_cancel.Token));
        }

        public async Task StopAsync()
        {
            await _cancel.CancelAsync().ConfigureAwait(false);
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }

        public void Dispose()
        {
            _cancel.Cancel();
            _cancel.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "study {StudyUid}: claimed (attempt {Attempt})")]
    private partial void LogClaimed(string studyUid, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "study {StudyUid}: done in {Seconds:F2} s")]
    private partial void LogDone(string studyUid, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "study {StudyUid}: new instances arrived while it ran; it will run again")]
    private partial void LogRequeued(string studyUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "study {StudyUid}: lease lost, run abandoned")]
    private partial void LogLeaseLost(string studyUid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "study {StudyUid}: attempt {Attempt} failed: {Reason}")]
    private partial void LogFailed(string studyUid, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Worker}: {Type}: {Message}")]
    private partial void LogLoopError(string worker, string type, string message);
}
