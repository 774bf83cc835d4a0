using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.Serve.Hosting;
using Ich.Serve.TestHost;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ich.Bench;

/// <summary>
/// `ich serve` throughput and latency on this machine: STOW-RS over loopback, SQLite queue, stable
/// detection at --stable-seconds 2, one worker. The processor is the TEST DOUBLE of the service tests
/// (it reads and decodes every instance in full but runs no model), so this measures the service's own
/// cost; with the model, add the per-study time of `bench/run predict`. Baseline in the same run: the
/// same files written with fsync straight to disk (the floor any durable intake pays).
/// Args: [studies=6] [slices=40] [size=512].
/// </summary>
public sealed class ServeBenchmark : IBenchmark
{
    public string Name => "serve";
    public string Description => "ich serve: studies/hour and last-ack-to-done latency for 40-slice studies (test-double processor; goal < 10 s)";

    public int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var studies = args.Length > 0 ? int.Parse(args[0]) : 6;
        var slices = args.Length > 1 ? int.Parse(args[1]) : 40;
        var size = args.Length > 2 ? int.Parse(args[2]) : 512;
        var dir = Path.Combine(Path.GetTempPath(), $"ich-bench-serve-{Guid.NewGuid():N}");
        try
        {
            var data = Enumerable.Range(0, studies).Select(s => MakeStudy(s, slices, size)).ToList();
            var megabytes = data.Sum(s => s.Files.Sum(f => f.Length)) / 1e6;

            var baseline = Stopwatch.StartNew();
            Directory.CreateDirectory(Path.Combine(dir, "baseline"));
            foreach (var (file, i) in data.SelectMany(s => s.Files).Select((f, i) => (f, i)))
            {
                using var stream = new FileStream(Path.Combine(dir, "baseline", $"{i}.dcm"), FileMode.CreateNew);
                stream.Write(file);
                stream.Flush(flushToDisk: true);
            }
            var floorMbPerSecond = megabytes / baseline.Elapsed.TotalSeconds;

            var options = new ServeOptions { DataDir = Path.Combine(dir, "serve"), Urls = "http://127.0.0.1:0", StableSeconds = 2, PollSeconds = 0.1 };
            var app = await ServeHost.BuildAsync(options, new PixelMeanTestProcessor(), null, l => l.SetMinimumLevel(LogLevel.Warning));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };

            // Latency: one study at a time, 10 instances per request; clock from the last acknowledgement to done.
            var latencies = new List<double>();
            var intakeSeconds = 0.0;
            var total = Stopwatch.StartNew();
            foreach (var study in data)
            {
                var upload = Stopwatch.StartNew();
                foreach (var chunk in study.Files.Chunk(10)) await StoreAsync(http, chunk);
                intakeSeconds += upload.Elapsed.TotalSeconds;
                var acknowledged = Stopwatch.StartNew();
                await WaitDoneAsync(http, study.Uid, TimeSpan.FromMinutes(5));
                latencies.Add(acknowledged.Elapsed.TotalSeconds);
            }
            var wall = total.Elapsed.TotalSeconds;
            await app.StopAsync();
            await app.DisposeAsync();

            latencies.Sort();
            var median = latencies[latencies.Count / 2];
            var intakeMbPerSecond = megabytes / intakeSeconds;
            Console.WriteLine($"{studies} studies x {slices} slices {size}x{size} ({megabytes:F0} MB), stable-seconds 2, 1 worker, {Environment.ProcessorCount} cores");
            Console.WriteLine($"intake (STOW-RS, durable): {intakeMbPerSecond:F0} MB/s; baseline fsync'd file writes: {floorMbPerSecond:F0} MB/s; ratio {intakeMbPerSecond / floorMbPerSecond:F2}x");
            Console.WriteLine($"last ack -> done: median {median:F2} s, max {latencies[^1]:F2} s (2 s of it is the stable wait); goal < 10 s: {(latencies[^1] < 10 ? "met" : "NOT met")}");
            Console.WriteLine($"one study at a time, end to end: {studies / wall * 3600:F0} studies/hour (service cost only; add the model time of bench/run predict)");
            return 0;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static (string Uid, List<byte[]> Files) MakeStudy(int seed, int slices, int size)
    {
        var study = DicomUids.FromSeed((ulong)seed, "bench serve study");
        var files = new List<byte[]>();
        var pixels = new short[size * size];
        for (var s = 0; s < slices; s++)
        {
            for (var i = 0; i < pixels.Length; i++) pixels[i] = (short)((i * 7 + s * 13 + seed) % 3000);
            var description = new CtImageDescription
            {
                PatientId = "BENCH", PatientName = "Bench^Serve", StudyInstanceUid = study,
                SeriesInstanceUid = DicomUids.FromSeed((ulong)seed, "bench serve series"),
                SopInstanceUid = DicomUids.FromSeed((ulong)(seed * 1000 + s), "bench serve sop"),
                FrameOfReferenceUid = DicomUids.FromSeed((ulong)seed, "bench serve frame"),
                Rows = size, Columns = size, PixelSpacing = (0.5, 0.5), ImagePosition = (0, 0, s * 5.0),
                ImageOrientation = [1, 0, 0, 0, 1, 0], SliceThicknessMm = 5, Encoding = new CtPixelEncoding(12, false, -1024),
                InstanceNumber = s + 1,
            };
            files.Add(DicomFileWriter.ToBytes(CtImageDataset.Build(description, pixels), TransferSyntaxes.ExplicitVRLittleEndian));
        }
        return (study, files);
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
