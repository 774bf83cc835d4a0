using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Text;
using Ich.DicomWeb;
using Ich.Pipeline.Tests.Cli;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// <c>ich serve</c> with its real study processor (the prediction job, model loaded once): a study sent by
/// STOW-RS is triaged, its numbers equal <c>ich predict</c> on the same files, and its SR/KOS/SC results and the
/// study viewer are served. The service runs as its own process on loopback, stopped by PID; every wait is bounded.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeRealModelTests
{
    private static string CliDll => Path.Combine(RepoPaths.Root, "artifacts", "bin", "Ich.Cli", "Release", "net10.0", "ich.dll");

    [SkippableFact]
    public async Task Serve_StudySentByStow_IsTriagedWithTheNumbersOfIchPredict()
    {
        Skip.IfNot(File.Exists(CliDll), $"skipped: the CLI is not built at {CliDll}");
        var study = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var modelDir = TinyModelFolder.Create();
        var predictOut = RepoPaths.NewTempDir("ich-predict");
        var run = CliRun.Ich("predict", study, "--out", predictOut, "--model", modelDir, "--gradcam", "none");
        Assert.True(run.ExitCode == 0, run.ToString());
        var scans = CsvTable.Read(Path.Combine(predictOut, "scans.csv"));
        var row = Assert.Single(scans.Rows);
        var studyUid = row[scans.Require("study_instance_uid")];
        var expectedMax = HemorrhageClasses.Names.ToDictionary(n => n, n => double.Parse(row[scans.Require("max_" + n)], CultureInfo.InvariantCulture));

        var data = RepoPaths.NewTempDir("ich-serve");
        var port = FreePort();
        using var service = Process.Start(new ProcessStartInfo("dotnet",
            [CliDll, "serve", "--data", data, "--urls", $"http://127.0.0.1:{port}", "--model", modelDir, "--stable-seconds", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = new System.Text.StringBuilder();
        service.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        service.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntil(async () => (await TryGet(http, "/healthz")) is not null, TimeSpan.FromSeconds(60), "the service did not answer /healthz", log);

            var client = new DicomWebClient(http, new DicomWebClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}/dicomweb") });
            var files = Directory.GetFiles(study, "*.dcm", SearchOption.AllDirectories);
            var stow = await client.StoreFilesAsync(files);
            Assert.True(stow.AllStored, $"STOW-RS stored {stow.Stored.Count} of {files.Length}");

            JsonElement done = default;
            await WaitUntil(async () =>
            {
                if (await TryGet(http, $"/api/studies/{studyUid}") is not { } json) return false;
                done = JsonDocument.Parse(json).RootElement.Clone();
                var status = done.GetProperty("status").GetString();
                Assert.NotEqual("failed", status);
                return status == "done";
            }, TimeSpan.FromSeconds(180), "the study was not done within 180 s", log);

            Assert.Equal(expectedMax["any"], done.GetProperty("maxAny").GetDouble(), 5); // scans.csv has 6 decimals; the contract asks 1e-5
            foreach (var (name, value) in expectedMax)
                Assert.Equal(value, done.GetProperty("max").GetProperty(name).GetDouble(), 5);
            using var dicom = await http.GetAsync(new Uri($"/api/studies/{studyUid}/dicom", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, dicom.StatusCode);
            var report = await http.GetStringAsync(new Uri($"/api/studies/{studyUid}/report", UriKind.Relative));
            Assert.Contains("data-ich-viewer", report, StringComparison.Ordinal);
        }
        finally
        {
            if (!service.HasExited)
            {
                service.Kill(entireProcessTree: true);
                service.WaitForExit(10_000);
            }
            Directory.Delete(predictOut, true);
        }
        Directory.Delete(data, true);
        Directory.Delete(modelDir, true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string?> TryGet(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan limit, string failure, System.Text.StringBuilder log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }
        lock (log) Assert.Fail($"{failure}\n--- service output ---\n{log}");
    }
}
