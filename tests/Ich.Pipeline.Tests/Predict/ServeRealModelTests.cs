using System.Globalization;
using System.Net;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Text;
using Ich.DicomWeb;
using Ich.Pipeline.Tests.Cli;
using Ich.TestKit;
using Ich.TestKit.Serve;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// <c>ich serve</c> with its real study processor (the prediction job, model loaded once): a study sent by
/// STOW-RS is triaged, its numbers equal <c>ich predict</c> on the same files, and its SR/KOS/SC results and the
/// study viewer are served. The service runs as its own process on loopback, stopped by PID; every wait is bounded.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeRealModelTests
{
    [SkippableFact]
    public async Task Serve_StudySentByStow_IsTriagedWithTheNumbersOfIchPredict()
    {
        Skip.IfNot(File.Exists(ServeLaunch.CliDll), $"skipped: the CLI is not built at {ServeLaunch.CliDll}");
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
        try
        {
            using var service = await ServeProcess.StartAsync(ServeLaunch.IchServe, ["--data", data, "--model", modelDir, "--stable-seconds", "1"]);
            using var http = service.Client();
            var client = new DicomWebClient(http, new DicomWebClientOptions { BaseUri = new Uri(service.BaseAddress, "/dicomweb") });
            var files = Directory.GetFiles(study, "*.dcm", SearchOption.AllDirectories);
            var stow = await client.StoreFilesAsync(files);
            Assert.True(stow.AllStored, $"STOW-RS stored {stow.Stored.Count} of {files.Length}");

            JsonElement done = default;
            await service.WaitUntilAsync(async () =>
            {
                if (await ServeProcess.GetOrNullAsync(http, $"/api/studies/{studyUid}") is not { } json) return false;
                done = JsonDocument.Parse(json).RootElement.Clone();
                var status = done.GetProperty("status").GetString();
                Assert.NotEqual("failed", status);
                return status == "done";
            }, TimeSpan.FromSeconds(180), "the study was not done");

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
            Directory.Delete(predictOut, true);
        }
        Directory.Delete(data, true);
        Directory.Delete(modelDir, true);
    }
}
