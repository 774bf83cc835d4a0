using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ich.Core.Errors;
using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Ich.Serve.Tests.Support;
using Ich.TestKit;

namespace Ich.Serve.Tests;

/// <summary>The whole service in this process (SQLite queue, test double processor) over real loopback HTTP.</summary>
public class ServiceTests
{
    private static ServeOptions Options(string dir, string? tokenFile = null, long maxBody = 64L << 20) => new()
    {
        DataDir = dir,
        StableSeconds = 0.5,
        PollSeconds = 0.1,
        TokenFile = tokenFile,
        MaxBodyBytes = maxBody,
        MaxPartBytes = 1 << 20,
    };

    [Fact]
    public async Task Study_Uploaded_IsProcessedOnce_WithTheValuesOfItsPixels()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        await using var service = await InProcessService.StartAsync(Options(dir));
        using var http = service.Client();
        var study = TestStudies.Make(seed: 3, slices: 5, accession: "ACC-3");
        var uid = study[0].StudyUid;

        // Two requests, one instance sent twice: stored once.
        var first = await new StowClient(http).StoreAsync(study.Take(3).Select(i => i.Bytes));
        var second = await new StowClient(http).StoreAsync(study.Skip(2).Select(i => i.Bytes));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(study.Take(3).Select(i => i.SopUid), first.StoredSops);
        Assert.Equal(study.Skip(2).Select(i => i.SopUid), second.StoredSops);

        await StudyPolling.WaitForAsync(http, [uid], TimeSpan.FromSeconds(30), StudyStatus.Done);
        var detail = await StudyPolling.DetailAsync(http, uid);
        Assert.Equal(5, detail["instances"]!.GetValue<int>());
        Assert.Equal(1, detail["attempts"]!.GetValue<int>());
        Assert.Equal("ACC-3", detail["accessionNumber"]!.GetValue<string>());
        var expected = study.Select(TestStudies.ExpectedAny).ToArray();
        var slices = detail["slices"]!.AsArray();
        Assert.Equal(expected.Length, slices.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(study[i].SopUid, slices[i]!["sopInstanceUid"]!.GetValue<string>());
            Assert.Equal(expected[i], slices[i]!["probabilities"]!["any"]!.GetValue<double>(), 12);
        }
        Assert.Equal(expected.Max(), detail["maxAny"]!.GetValue<double>(), 12);
        Assert.Equal(expected.Max() >= 0.5, detail["triage"]!.GetValue<bool>());
        Assert.Equal("pixel-mean-test-double 1", detail["modelVersion"]!.GetValue<string>());

        // Exactly the stored files, byte for byte, and the results.
        var stored = Directory.GetFiles(Path.Combine(dir, "studies", uid), "*.dcm", SearchOption.AllDirectories);
        Assert.Equal(5, stored.Length);
        foreach (var instance in study)
            Assert.Equal(instance.Bytes, File.ReadAllBytes(stored.Single(p => p.EndsWith(instance.SopUid + ".dcm", StringComparison.Ordinal))));
        using var report = await http.GetAsync($"/api/studies/{uid}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains(study[0].SopUid, await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var dicom = await http.GetAsync($"/api/studies/{uid}/dicom");
        Assert.Equal("multipart/related", dicom.Content.Headers.ContentType!.MediaType);
        var dicomBody = await dicom.Content.ReadAsByteArrayAsync();
        Assert.True(dicomBody.AsSpan().IndexOf(study[0].Bytes) >= 0, "the result DICOM file is served whole");

        // The list has exactly the contract's fields.
        var listed = (await StudyPolling.ListAsync(http)).Single()!.AsObject();
        Assert.Equal(["studyInstanceUid", "accessionNumber", "received", "status", "attempts", "triage", "maxAny", "max", "flaggedClasses", "modelVersion", "error"],
            listed.Select(p => p.Key).ToArray());
        Assert.True(DateTimeOffset.TryParse(listed["received"]!.GetValue<string>(), out _));
    }

    [Fact]
    public async Task Instance_ArrivingAfterDone_RequeuesTheStudy_AndTheNewResultCountsIt()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        await using var service = await InProcessService.StartAsync(Options(dir));
        using var http = service.Client();
        var study = TestStudies.Make(seed: 4, slices: 4);
        var uid = study[0].StudyUid;
        await new StowClient(http).StoreAsync(study.Take(3).Select(i => i.Bytes));
        await StudyPolling.WaitForAsync(http, [uid], TimeSpan.FromSeconds(30), StudyStatus.Done);
        Assert.Equal(3, (await StudyPolling.DetailAsync(http, uid))["slices"]!.AsArray().Count);

        await new StowClient(http).StoreAsync([study[3].Bytes]);
        var status = (await StudyPolling.DetailAsync(http, uid))["status"]!.GetValue<string>();
        Assert.True(status is StudyStatus.Receiving or StudyStatus.Queued or StudyStatus.Running, status);
        await StudyPolling.WaitForAsync(http, [uid], TimeSpan.FromSeconds(30), StudyStatus.Done);
        var detail = await StudyPolling.DetailAsync(http, uid);
        Assert.Equal(4, detail["instances"]!.GetValue<int>());
        Assert.Equal(4, detail["slices"]!.AsArray().Count);
        // The older result is pruned right after the new one is recorded as done (never before: until then it is the
        // study's result), so the API can report "done" a moment before the prune: wait for it, bounded.
        var results = Path.Combine(dir, "results", uid);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Directory.GetDirectories(results).Length > 1 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Single(Directory.GetDirectories(results));
    }

    [Fact]
    public async Task BadRequests_GetClear4xx_AndEarlierStudiesStayIntact()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        await using var service = await InProcessService.StartAsync(Options(dir, maxBody: 200_000));
        using var http = service.Client();
        var good = TestStudies.Make(seed: 5, slices: 3);
        var uid = good[0].StudyUid;
        Assert.Equal(HttpStatusCode.OK, (await new StowClient(http).StoreAsync(good.Select(i => i.Bytes))).Status);
        await StudyPolling.WaitForAsync(http, [uid], TimeSpan.FromSeconds(30), StudyStatus.Done);
        var before = (await StudyPolling.DetailAsync(http, uid)).ToJsonString();

        // A non-DICOM part alone: nothing stored -> 409 with FailureReason C000 (cannot understand).
        var notDicom = await new StowClient(http).StoreAsync(["hello, I am not DICOM"u8.ToArray()]);
        Assert.Equal(HttpStatusCode.Conflict, notDicom.Status);
        Assert.Equal(0xC000, Assert.Single(notDicom.Failed).Reason);

        // A non-DICOM part next to a good one: 202, the good one stored.
        var other = TestStudies.Make(seed: 6, slices: 1);
        var mixed = await new StowClient(http).StoreAsync([other[0].Bytes, new byte[300]]);
        Assert.Equal(HttpStatusCode.Accepted, mixed.Status);
        Assert.Equal([other[0].SopUid], mixed.StoredSops);
        Assert.Single(mixed.Failed);

        // Truncated multipart (no closing delimiter) -> 400 naming the problem.
        var full = StowClient.Body([TestStudies.Make(seed: 7, slices: 1)[0].Bytes]);
        var truncated = await PostRaw(http, full[..(full.Length - 30)], $"multipart/related; type=\"application/dicom\"; boundary={StowClient.Boundary}");
        Assert.Equal(HttpStatusCode.BadRequest, truncated.Status);
        Assert.Contains("truncated", truncated.Warning, StringComparison.Ordinal);

        // Wrong content type -> 415.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await PostRaw(http, good[0].Bytes, "application/dicom")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await PostRaw(http, full, $"multipart/related; type=\"application/dicom+json\"; boundary={StowClient.Boundary}")).Status);

        // Body over the limit (200 kB here) -> 413.
        var big = StowClient.Body(Enumerable.Repeat(good[0].Bytes, 1 + 200_000 / good[0].Bytes.Length));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge,
            (await PostRaw(http, big, $"multipart/related; type=\"application/dicom\"; boundary={StowClient.Boundary}")).Status);

        Assert.Equal(before, (await StudyPolling.DetailAsync(http, uid)).ToJsonString());
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir, "studies", uid), "*.dcm", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir, "incoming"))); // no temp file left behind
        Assert.Equal(2, (await StudyPolling.ListAsync(http)).Count); // the good study and the one stored by the mixed request
    }

    [Fact]
    public async Task Token_IsRequiredEverywhereButHealthz()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        var tokenFile = Path.Combine(dir, "token");
        await File.WriteAllTextAsync(tokenFile, "s3cret-token-0123456789\n");
        await using var service = await InProcessService.StartAsync(Options(Path.Combine(dir, "data"), tokenFile));
        using var anonymous = service.Client();
        using var wrong = service.Client("s3cret-token-0123456780");
        using var right = service.Client("s3cret-token-0123456789");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        // The worklist page and script are public: they hold no data and ask for the token themselves.
        using (var page = await anonymous.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Contains("data-ich-worklist", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/worklist.js")).StatusCode);
        foreach (var path in new[] { "/api/studies", "/metrics", "/api/studies/1.2.3", "/api/studies/1.2.3/report" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
        }
        var study = TestStudies.Make(seed: 8, slices: 1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new StowClient(wrong).StoreAsync([study[0].Bytes])).Status);
        Assert.Empty(await StudyPolling.ListAsync(right));
        Assert.Equal(HttpStatusCode.OK, (await new StowClient(right).StoreAsync([study[0].Bytes])).Status);
        Assert.Single(await StudyPolling.ListAsync(right));
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_ReportQueueDepthCountsHistogramAndModel()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        await using var service = await InProcessService.StartAsync(Options(dir));
        using var http = service.Client();
        var study = TestStudies.Make(seed: 9, slices: 2);
        await new StowClient(http).StoreAsync(study.Select(i => i.Bytes));
        await StudyPolling.WaitForAsync(http, [study[0].StudyUid], TimeSpan.FromSeconds(30), StudyStatus.Done);
        var text = await http.GetStringAsync("/metrics");
        Assert.Contains("ich_queue_depth 0\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_studies{status=\"done\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_studies_processed_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_studies_failed_total 0\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_instances_stored_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_processing_seconds_count 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_processing_seconds_bucket{le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ich_model_info{version=\"pixel-mean-test-double 1\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Study_ThatAlwaysFails_IsMarkedFailedAfterMaxAttempts_WithTheReason()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        await using var service = await InProcessService.StartAsync(Options(dir) with { MaxAttempts = 2 });
        using var http = service.Client();
        var study = TestStudies.Make(seed: 10, slices: 2, accession: TestHost.PixelMeanTestProcessor.FailingAccession);
        await new StowClient(http).StoreAsync(study.Select(i => i.Bytes));
        await StudyPolling.WaitForAsync(http, [study[0].StudyUid], TimeSpan.FromSeconds(30), StudyStatus.Failed);
        var detail = await StudyPolling.DetailAsync(http, study[0].StudyUid);
        Assert.Equal(2, detail["attempts"]!.GetValue<int>());
        Assert.Contains("refuses accession FAIL-ALWAYS", detail["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(dir, "work"))); // failed attempts leave no work folder
    }

    [Theory]
    [InlineData("http://0.0.0.0:8042")]
    [InlineData("http://*:8042")]
    [InlineData("http://192.168.1.20:8042")]
    public void NonLoopbackAddress_WithoutToken_IsRefused(string url)
    {
        var e = Assert.Throws<ConfigException>(() => ServeOptionsValidator.Validate(new ServeOptions { DataDir = "/tmp/x", Urls = url }));
        Assert.Contains("without --token-file", e.Message, StringComparison.Ordinal);
        ServeOptionsValidator.Validate(new ServeOptions { DataDir = "/tmp/x", Urls = url, TokenFile = "/tmp/token" }); // allowed with a token
    }

    [Fact]
    public async Task UidRoutes_RejectAnythingButAUid()
    {
        var dir = RepoPaths.NewTempDir("ich-serve");
        await using var service = await InProcessService.StartAsync(Options(dir));
        using var http = service.Client();
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/studies/..%2F..%2Fetc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/studies/1.2.3")).StatusCode);
    }

    private static async Task<StowReply> PostRaw(HttpClient http, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.PostAsync("/dicomweb/studies", content);
        return await StowReply.ParseAsync(response);
    }
}
