using System.Globalization;
using System.Text;

namespace Ich.Serve.Work;

/// <summary>
/// Counters of this process for /metrics (Prometheus text format 0.0.4). Queue depth comes from the
/// queue itself at scrape time; these are per process, as Prometheus expects of counters.
/// </summary>
public sealed class ServeMetrics
{
    /// <summary>Upper bounds of the processing-seconds histogram buckets.</summary>
    public static readonly double[] Buckets = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private readonly object _histogramLock = new();
    private long _processed;
    private long _failed;
    private long _instancesStored;
    private long _histogramCount;
    private double _histogramSum;

    public long Processed => Interlocked.Read(ref _processed);
    public long Failed => Interlocked.Read(ref _failed);

    public void StudyProcessed(double seconds)
    {
        Interlocked.Increment(ref _processed);
        lock (_histogramLock)
        {
            for (var i = 0; i < Buckets.Length; i++) if (seconds <= Buckets[i]) _bucketCounts[i]++;
            _histogramCount++;
            _histogramSum += seconds;
        }
    }

    public void StudyFailed() => Interlocked.Increment(ref _failed);

    public void InstanceStored() => Interlocked.Increment(ref _instancesStored);

    /// <summary>The exposition text, with the queue counts and model version of this moment.</summary>
    public string Render(IReadOnlyDictionary<string, int> statusCounts, string? modelVersion)
    {
        ArgumentNullException.ThrowIfNull(statusCounts);
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine("# HELP ich_queue_depth Studies waiting for a worker (status queued).");
        s.AppendLine("# TYPE ich_queue_depth gauge");
        s.AppendLine(c, $"ich_queue_depth {statusCounts.GetValueOrDefault("queued")}");
        s.AppendLine("# HELP ich_studies Studies in the queue by status.");
        s.AppendLine("# TYPE ich_studies gauge");
        foreach (var (status, n) in statusCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
            s.AppendLine(c, $"ich_studies{{status=\"{status}\"}} {n}");
        s.AppendLine("# HELP ich_studies_processed_total Studies this process finished.");
        s.AppendLine("# TYPE ich_studies_processed_total counter");
        s.AppendLine(c, $"ich_studies_processed_total {Processed}");
        s.AppendLine("# HELP ich_studies_failed_total Study runs this process saw fail.");
        s.AppendLine("# TYPE ich_studies_failed_total counter");
        s.AppendLine(c, $"ich_studies_failed_total {Failed}");
        s.AppendLine("# HELP ich_instances_stored_total New instances this process stored.");
        s.AppendLine("# TYPE ich_instances_stored_total counter");
        s.AppendLine(c, $"ich_instances_stored_total {Interlocked.Read(ref _instancesStored)}");
        s.AppendLine("# HELP ich_processing_seconds Time from claim to done per study.");
        s.AppendLine("# TYPE ich_processing_seconds histogram");
        lock (_histogramLock)
        {
            for (var i = 0; i < Buckets.Length; i++)
                s.AppendLine(c, $"ich_processing_seconds_bucket{{le=\"{Buckets[i].ToString(c)}\"}} {_bucketCounts[i]}");
            s.AppendLine(c, $"ich_processing_seconds_bucket{{le=\"+Inf\"}} {_histogramCount}");
            s.AppendLine(c, $"ich_processing_seconds_sum {_histogramSum.ToString("R", c)}");
            s.AppendLine(c, $"ich_processing_seconds_count {_histogramCount}");
        }
        if (modelVersion is not null)
        {
            s.AppendLine("# HELP ich_model_info The model this process runs.");
            s.AppendLine("# TYPE ich_model_info gauge");
            s.AppendLine(c, $"ich_model_info{{version=\"{Escape(modelVersion)}\"}} 1");
        }
        return s.ToString();
    }

    private static string Escape(string label) =>
        label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
