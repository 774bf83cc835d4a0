using System.Diagnostics;
using System.Text.Json.Nodes;
using Ich.Application.Prediction;
using Ich.Core;
using Ich.DicomWeb;
using Ich.Pipeline.Tests.Cli;
using Ich.TestKit;
using Ich.TestKit.Serve;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// The reliability contract of <c>ich serve</c> with the real processor and the bundled model (models/default):
/// 20 small phantom studies sent by 4 concurrent STOW-RS clients are each <c>done</c> in one attempt with every
/// instance, and every slice's six probabilities equal those of the prediction job (what <c>ich predict</c> runs)
/// on the same files within 1e-5. Loopback only; the service is stopped by its PID; every wait is bounded.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ServeConcurrentRealModelTests
{
    private const double Tolerance = 1e-5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10); // 2-core CI under load; typically ~1 min

    private static string DefaultModel => Path.Combine(RepoPaths.Root, "models", "default");

    [SkippableFact]
    public async Task TwentyStudies_FromFourConcurrentClients_AreEachDoneOnce_WithTheNumbersOfIchPredict()
    {
        Skip.IfNot(File.Exists(ServeLaunch.CliDll), $"skipped: the CLI is not built at {ServeLaunch.CliDll}");
        var dir = RepoPaths.NewTempDir("ich-serve-real-20");
        var studies = SmallPhantomStudies.Write(Path.Combine(dir, "studies"), 20, i => 2 + i % 3); // 2-4 slices each, 60 in all
        Assert.Equal(20, studies.Select(s => s.StudyUid).Distinct().Count());
        var expected = PredictWithTheJob(studies);

        using (var service = await ServeProcess.StartAsync(ServeLaunch.IchServe, ["--data", Path.Combine(dir, "data"), "--model", DefaultModel, "--stable-seconds", "1", "--workers", "2"]))
        {
            // Four clients, five studies each; every study in two requests with its instances interleaved.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
            {
                using var http = service.Client();
                var stow = new DicomWebClient(http, new DicomWebClientOptions { BaseUri = new Uri(service.BaseAddress, "/dicomweb") });
                foreach (var study in studies.Where((_, i) => i % 4 == client))
                    foreach (var half in new[] { study.Files.Where((_, i) => i % 2 == 0), study.Files.Where((_, i) => i % 2 == 1) })
                    {
                        var result = await stow.StoreFilesAsync(half.ToList());
                        Assert.True(result.AllStored, $"study {study.StudyUid}: STOW-RS stored {result.Stored.Count} of {half.Count()}");
                    }
            })));

            using var api = service.Client();
            await service.WaitUntilAsync(async () => AllDone(await ServeProcess.GetOrNullAsync(api, "/api/studies"), studies), Patience,
                "the 20 studies were not all done");
            foreach (var study in studies)
            {
                var detail = JsonNode.Parse(await api.GetStringAsync(new Uri($"/api/studies/{study.StudyUid}", UriKind.Relative)))!;
                Assert.Equal("done", detail["status"]!.GetValue<string>());
                Assert.Equal(1, detail["attempts"]!.GetValue<int>());                     // done once, never retried
                Assert.Equal(study.Files.Count, detail["instances"]!.GetValue<int>());   // no instance lost
                var slices = detail["slices"]!.AsArray();
                Assert.Equal(study.SopUids.Order(StringComparer.Ordinal), slices.Select(s => s!["sopInstanceUid"]!.GetValue<string>()).Order(StringComparer.Ordinal));
                var reference = expected[study.StudyUid];
                foreach (var slice in slices)
                {
                    var sop = slice!["sopInstanceUid"]!.GetValue<string>();
                    foreach (var name in HemorrhageClasses.Names)
                    {
                        var served = slice["probabilities"]![name]!.GetValue<double>();
                        var job = reference[sop][HemorrhageClasses.IndexOf(name)];
                        Assert.True(Math.Abs(served - job) <= Tolerance, $"study {study.StudyUid} slice {sop} {name}: served {served}, ich predict {job}");
                    }
                }
                Assert.Equal(reference.Values.Max(p => p[0]), detail["maxAny"]!.GetValue<double>(), Tolerance);
            }
        }
        Directory.Delete(dir, true);
    }

    private static bool AllDone(string? listJson, IReadOnlyList<PhantomStudy> studies)
    {
        if (listJson is null) return false;
        var status = JsonNode.Parse(listJson)!.AsArray().ToDictionary(s => s!["studyInstanceUid"]!.GetValue<string>(), s => s!["status"]!.GetValue<string>());
        if (studies.FirstOrDefault(s => status.GetValueOrDefault(s.StudyUid) == "failed") is { } failed)
            Assert.Fail($"study {failed.StudyUid} failed: {listJson}");
        return studies.All(s => status.GetValueOrDefault(s.StudyUid) == "done");
    }

    /// <summary>Per study, per SOP Instance UID, the six probabilities of the prediction job run on the same folders.</summary>
    private static Dictionary<string, Dictionary<string, double[]>> PredictWithTheJob(IReadOnlyList<PhantomStudy> studies)
    {
        var capture = new ProbabilityCapture();
        var clock = Stopwatch.StartNew();
        var summary = new PredictionJob().Run(new PredictionRequest(DefaultModel, [capture]) { Paths = studies.Select(s => s.Folder).ToList() });
        Assert.Equal(20, summary.Succeeded);
        Assert.True(clock.Elapsed < Patience, $"the reference prediction took {clock.Elapsed}");
        return capture.ByStudy;
    }

    private sealed class ProbabilityCapture : IPredictionOutputWriter
    {
        public Dictionary<string, Dictionary<string, double[]>> ByStudy { get; } = new(StringComparer.Ordinal);

        public void Begin(PredictionRunInfo run)
        {
        }

        public void WriteScan(ScanResult scan)
        {
            var p = scan.Prediction ?? throw new InvalidOperationException($"{scan.ScanId}: {scan.Error}");
            var k = HemorrhageClasses.Count;
            ByStudy[scan.Dicom!.StudyInstanceUid] = scan.SopInstanceUids.Select((sop, i) => (sop, i))
                .ToDictionary(x => x.sop, x => Enumerable.Range(0, k).Select(c => (double)p.Probabilities[x.i * k + c]).ToArray(), StringComparer.Ordinal);
        }

        public void Complete(PredictionSummary summary)
        {
        }
    }
}
