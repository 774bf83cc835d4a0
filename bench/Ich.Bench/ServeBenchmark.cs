using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Globalization;
using Ich.Cli.Serving;
using Ich.Serve.Hosting;
using Ich.Serve.Work;
using Ich.Synth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ich.Bench;

/// <summary>
/// <c>bench/run serve [studies=3] [slices=40] [size=512] [--model DIR]</c>: <c>ich serve</c> with its real study
/// processor (the prediction job of <c>ich predict</c>, bundled model models/default unless --model) on this
/// machine: STOW-RS over loopback, SQLite queue, stable detection at --stable-seconds 2, one worker, phantom head
/// CTs (Ich.Synth, 2.5 mm, cut to <c>slices</c>). Baselines measured in the same run: the same files written with
/// fsync straight to disk (the floor of any durable intake), and the same processor called directly on each
/// study's folder (what the prediction costs without the service), so the printed ratios show the service's share.
/// </summary>
public sealed class ServeBenchmark : IBenchmark
{
    private const double StableSeconds = 2;

    public string Name => "serve";
    public string Description => "ich serve with the real model: studies/hour and last-ack-to-done latency for 40-slice studies (goal < 10 s), against direct prediction";

    public int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var modelIndex = Array.IndexOf(args, "--model");
        var modelDir = BenchArgs.Option(args, "--model") ?? Path.Combine(BenchPaths.RepositoryRoot(), "models", "default");
        var positional = args.Where((_, i) => modelIndex < 0 || (i != modelIndex && i != modelIndex + 1)).ToArray();
        var studies = BenchArgs.IntAt(positional, 0, "studies", 3);
        var slices = BenchArgs.IntAt(positional, 1, "slices", 40);
        var size = BenchArgs.IntAt(positional, 2, "size", 512);
        var dir = Path.Combine(Path.GetTempPath(), $"ich-bench-serve-{Guid.NewGuid():N}");
        try
        {
            var data = Enumerable.Range(0, studies).Select(s => MakeStudy(Path.Combine(dir, "phantoms"), s, slices, size)).ToList();
            var megabytes = data.Sum(s => s.Files.Sum(f => new FileInfo(f).Length)) / 1e6;

            var floor = Stopwatch.StartNew();
            Directory.CreateDirectory(Path.Combine(dir, "baseline"));
            foreach (var (file, i) in data.SelectMany(s => s.Files).Select((f, i) => (f, i)))
            {
                using var stream = new FileStream(Path.Combine(dir, "baseline", $"{i}.dcm"), FileMode.CreateNew);
                stream.Write(File.ReadAllBytes(file));
                stream.Flush(flushToDisk: true);
            }
            var floorMbPerSecond = megabytes / floor.Elapsed.TotalSeconds;

            using var processor = new PredictionStudyProcessor(modelDir);
            Console.WriteLine($"model {processor.ModelVersion}; {studies} studies x {slices} slices {size}x{size} ({megabytes:F0} MB), " +
                              $"stable-seconds {StableSeconds}, 1 worker, {Environment.ProcessorCount} cores");

            var options = new ServeOptions { DataDir = Path.Combine(dir, "serve"), Urls = "http://127.0.0.1:0", StableSeconds = StableSeconds, PollSeconds = 0.1 };
            var app = await ServeHost.BuildAsync(options, processor, null, l => l.SetMinimumLevel(LogLevel.Warning));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            // First-call latency stays out of both measures: one warm-up call on two slices of the first study.
            var warmup = Directory.CreateDirectory(Path.Combine(dir, "warmup-study")).FullName;
            foreach (var file in data[0].Files.Take(2)) File.Copy(file, Path.Combine(warmup, Path.GetFileName(file)));
            await DirectAsync(processor, (data[0].Uid, warmup, []), Path.Combine(dir, "warmup"));

            // Per study, first the baseline (the processor straight on the study's folder), then the service (upload,
            // 10 instances per request; clock from the last acknowledgement to done): interleaved, so a change in
            // machine load during the run hits both alike.
            var direct = new List<double>();
            var latencies = new List<double>();
            var serviceSeconds = 0.0;
            var intakeSeconds = 0.0;
            foreach (var (study, i) in data.Select((s, i) => (s, i)))
            {
                var clock = Stopwatch.StartNew();
                await DirectAsync(processor, study, Path.Combine(dir, $"direct-{i}"));
                direct.Add(clock.Elapsed.TotalSeconds);

                var upload = Stopwatch.StartNew();
                foreach (var chunk in study.Files.Chunk(10)) await StoreAsync(http, chunk.Select(File.ReadAllBytes));
                intakeSeconds += upload.Elapsed.TotalSeconds;
                var acknowledged = Stopwatch.StartNew();
                await WaitDoneAsync(http, study.Uid, TimeSpan.FromMinutes(30));
                latencies.Add(acknowledged.Elapsed.TotalSeconds);
                serviceSeconds += upload.Elapsed.TotalSeconds;
            }
            await app.StopAsync();
            await app.DisposeAsync();

            var median = Median(latencies);
            var directMedian = Median(direct);
            var intakeMbPerSecond = megabytes / intakeSeconds;
            Console.WriteLine($"intake (STOW-RS, durable): {intakeMbPerSecond:F0} MB/s; baseline fsync'd file writes: {floorMbPerSecond:F0} MB/s; ratio {intakeMbPerSecond / floorMbPerSecond:F2}x");
            Console.WriteLine($"baseline, the processor called directly (ich predict's job, no service): median {directMedian:F2} s per study ({directMedian / slices * 1000:F0} ms/slice)");
            var ratios = latencies.Zip(direct, (l, d) => l / d).ToList();
            Console.WriteLine($"last ack -> done: median {median:F2} s, max {latencies.Max():F2} s (of it {StableSeconds} s stable wait); " +
                              $"per study, ratio to its direct baseline: median {Median(ratios):F2}x (per study {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}); goal < 10 s: {(latencies.Max() < 10 ? "met" : "NOT met")}");
            Console.WriteLine($"one study at a time, end to end (upload + wait + prediction): {studies / serviceSeconds * 3600:F0} studies/hour; " +
                              $"direct prediction alone: {studies / direct.Sum() * 3600:F0} studies/hour (ratio {direct.Sum() / serviceSeconds:F2}x)");
            return 0;
        }
        finally
        {
            // After a failure a worker may still be writing there; the failure, not the clean-up, is what to report.
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
            catch (IOException e) { Console.Error.WriteLine($"could not remove {dir}: {e.Message}"); }
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task DirectAsync(PredictionStudyProcessor processor, (string Uid, string Folder, List<string> Files) study, string work)
    {
        Directory.CreateDirectory(work);
        await processor.ProcessAsync(new StudyWorkItem(study.Uid, study.Folder, work, 1), CancellationToken.None);
    }

    /// <summary>Phantom scan <paramref name="seed"/> (2.5 mm slices, so a head has more than 40) cut to its first <paramref name="slices"/> slices.</summary>
    private static (string Uid, string Folder, List<string> Files) MakeStudy(string root, int seed, int slices, int size)
    {
        var options = new SynthOptions { Seed = 2026, Size = size, ThicknessMm = 2.5 };
        var folder = Path.Combine(root, PhantomGenerator.ScanIdFor(options, seed));
        var scan = PhantomGenerator.WriteScan(options, seed, folder);
        var start = Math.Max(0, (scan.Plan.SliceCount - slices) / 2);
        var kept = Enumerable.Range(start, Math.Min(slices, scan.Plan.SliceCount)).Select(k => Path.Combine(folder, scan.Plan.FileNames[k])).ToList();
        foreach (var file in Directory.GetFiles(folder).Except(kept)) File.Delete(file);
        return (scan.Plan.StudyUid, folder, kept);
    }

    private static async Task StoreAsync(HttpClient http, IEnumerable<byte[]> files)
    {
        const string boundary = "bench-boundary";
        using var body = new MemoryStream();
        foreach (var file in files)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n"));
            body.Write(file);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        using var response = await http.PostAsync("/dicomweb/studies", content);
        if ((int)response.StatusCode != 200) throw new InvalidOperationException($"STOW answered {(int)response.StatusCode}");
    }

    private static async Task WaitDoneAsync(HttpClient http, string uid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var json = await http.GetStringAsync($"/api/studies/{uid}");
            if (json.Contains("\"status\":\"done\"", StringComparison.Ordinal)) return;
            if (json.Contains("\"status\":\"failed\"", StringComparison.Ordinal)) throw new InvalidOperationException($"study failed: {json}");
            await Task.Delay(50);
        }
        throw new TimeoutException($"study {uid} not done after {timeout}");
    }
}
