using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ich.Serve.Work;

/// <summary>
/// Queues studies that received no new instance for --stable-seconds (Orthanc's "stable study"). The
/// promotion is one idempotent UPDATE, so several processes may run it against one queue.
/// </summary>
public sealed partial class StableStudyMonitor(IStudyQueueStore queue, ServeOptions options, TimeProvider clock, ILogger<StableStudyMonitor> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Min(options.PollSeconds, Math.Max(0.05, options.StableSeconds / 4)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cutoff = clock.GetUtcNow() - TimeSpan.FromSeconds(options.StableSeconds);
                var n = await queue.PromoteStableAsync(cutoff, stoppingToken).ConfigureAwait(false);
                if (n > 0) LogQueued(n);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogQueueError(e.GetType().Name, e.Message);
            }
            try { await Task.Delay(period, clock, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} stable study(ies) queued")]
    private partial void LogQueued(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "stable-study check failed: {Type}: {Message}")]
    private partial void LogQueueError(string type, string message);
}
