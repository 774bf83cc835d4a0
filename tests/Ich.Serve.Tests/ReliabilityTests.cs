using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Ich.Serve.Queue;
using Ich.Serve.Tests.Support;
using Ich.TestKit;
using Ich.TestKit.Serve;

namespace Ich.Serve.Tests;

/// <summary>
/// The service as separate processes (the test host: real `serve`, test double processor), killed with
/// SIGKILL and restarted. Loopback only; every wait is bounded; processes are stopped by their PID.
/// </summary>
[Collection("service processes")] // one at a time: they are heavy on a 2-core machine
public class ReliabilityTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TwentyStudies_FromFourConcurrentClients_AreEachDoneOnce_WithEveryInstance()
    {
        const double stableSeconds = 2;
        var dir = RepoPaths.NewTempDir("ich-serve-20");
        var log = Path.Combine(dir, "processed.log");
        using var service = await ServeProcess.StartAsync(ServeLaunch.TestHost,
            ["--data", Path.Combine(dir, "data"), "--stable-seconds", stableSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--workers", "2"],
            new Dictionary<string, string> { ["ICH_TEST_PROCESSOR_LOG"] = log });
        using var http = service.Client();
        var studies = Enumerable.Range(100, 20).Select(seed => TestStudies.Make(seed, slices: 4 + seed % 3)).ToList();

        // Four clients, five studies each, every study in two requests with the instances interleaved.
        var uploadSpans = new System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            using var own = service.Client();
            var stow = new StowClient(own);
            foreach (var study in studies.Where((_, i) => i % 4 == client))
            {
                var clock = Stopwatch.StartNew();
                foreach (var half in new[] { study.Where((_, i) => i % 2 == 0), study.Where((_, i) => i % 2 == 1) })
                {
                    var reply = await stow.StoreAsync(half.Select(i => i.Bytes));
                    Assert.Equal(HttpStatusCode.OK, reply.Status);
                }
                uploadSpans[study[0].StudyUid] = clock.Elapsed;
            }
        })));

        var uids = studies.Select(s => s[0].StudyUid).ToList();
        var list = await StudyPolling.WaitForAsync(http, uids, Patience, StudyStatus.Done);
        Assert.Equal(20, list.Count);
        foreach (var study in studies)
        {
            var detail = await StudyPolling.DetailAsync(http, study[0].StudyUid);
            Assert.Equal(study.Count, detail["instances"]!.GetValue<int>());
            Assert.Equal(1, detail["attempts"]!.GetValue<int>());
            Assert.Equal(study.Select(TestStudies.ExpectedAny).Max(), detail["maxAny"]!.GetValue<double>(), 12);
        }

        AssertProcessedOnceEach(File.ReadAllLines(log), studies.ToDictionary(s => s[0].StudyUid, s => s.Count), uploadSpans, stableSeconds);
    }

    /// <summary>
    /// Each study processed once, with every instance. The one legitimate exception is a study whose later
    /// instances came after its first part was already stable (a slow client on a loaded machine): it is run on
    /// what had arrived and again, to the end, on the whole study. Whether that could happen is known from
    /// the upload span (first request sent to last reply), which bounds every gap between the study's
    /// instance records. A run reads the study folder, so it may already see an instance whose record, landing
    /// during the run, requeues it: a rerun with an equal count is fine, one with fewer is not.
    /// </summary>
    private static void AssertProcessedOnceEach(IEnumerable<string> logLines, IReadOnlyDictionary<string, int> instancesByStudy,
        IReadOnlyDictionary<string, TimeSpan> uploadSpans, double stableSeconds)
    {
        var stable = TimeSpan.FromSeconds(stableSeconds);
        var fast = uploadSpans.Values.Count(span => span < stable);
        Assert.True(fast >= instancesByStudy.Count / 2, $"only {fast} of {instancesByStudy.Count} studies were uploaded within {stableSeconds} s: too few to test exactly-once");
        var runs = logLines.Select(l => l.Split(' ')).ToList();
        Assert.Equal(instancesByStudy.Keys.Order(), runs.Select(r => r[0]).Distinct().Order());
        foreach (var (uid, instances) in instancesByStudy)
        {
            var counts = runs.Where(r => r[0] == uid).Select(r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(instances, counts[^1]);
            if (uploadSpans[uid] < stable) Assert.Equal([instances], counts);
            Assert.Equal(counts.Order(), counts);
        }
    }

    [Fact]
    public async Task WorkerKilledMidStudy_ThenRestarted_CompletesIt_WithNothingDuplicatedOrLost()
    {
        var dir = RepoPaths.NewTempDir("ich-serve-kill");
        var data = Path.Combine(dir, "data");
        var log = Path.Combine(dir, "processed.log");
        using var intake = await ServeProcess.StartAsync(ServeLaunch.TestHost, ["--data", data, "--role", "intake", "--stable-seconds", "0.5"]);
        using var http = intake.Client();
        var workerArgs = new[] { "--data", data, "--role", "worker", "--lease-seconds", "3", "--poll-seconds", "0.2" };
        var slowWorker = await ServeProcess.StartAsync(ServeLaunch.TestHost, workerArgs,
            new Dictionary<string, string> { ["ICH_TEST_PROCESSOR_DELAY_MS"] = "60000", ["ICH_TEST_PROCESSOR_LOG"] = log });
        var study = TestStudies.Make(seed: 200, slices: 6);
        var uid = study[0].StudyUid;
        Assert.Equal(HttpStatusCode.OK, (await new StowClient(http).StoreAsync(study.Select(i => i.Bytes))).Status);

        await StudyPolling.WaitForAsync(http, [uid], Patience, StudyStatus.Running);
        slowWorker.Kill(); // SIGKILL mid-study: the lease stays behind
        slowWorker.Dispose();
        Assert.Equal(StudyStatus.Running, (await StudyPolling.DetailAsync(http, uid))["status"]!.GetValue<string>());

        using var worker = await ServeProcess.StartAsync(ServeLaunch.TestHost, workerArgs, new Dictionary<string, string> { ["ICH_TEST_PROCESSOR_LOG"] = log });
        await StudyPolling.WaitForAsync(http, [uid], Patience, StudyStatus.Done);
        var detail = await StudyPolling.DetailAsync(http, uid);
        Assert.Equal(2, detail["attempts"]!.GetValue<int>()); // the killed run counted, the second finished
        Assert.Equal(6, detail["instances"]!.GetValue<int>());
        Assert.Equal(study.Select(TestStudies.ExpectedAny), detail["slices"]!.AsArray().Select(s => s!["probabilities"]!["any"]!.GetValue<double>()));
        Assert.Equal([$"{uid} 6 {worker.Pid}"], File.ReadAllLines(log)); // one finished run, by the new worker
        Assert.Single(Directory.GetDirectories(Path.Combine(data, "results", uid)));
        Assert.Empty(Directory.GetDirectories(Path.Combine(data, "work"))); // the killed run's work folder is gone
        Assert.Equal(6, Directory.GetFiles(Path.Combine(data, "studies", uid), "*.dcm", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task IntakeKilledMidUpload_KeepsEveryAcknowledgedInstance_AndTheResentRestCompletesTheStudy()
    {
        var dir = RepoPaths.NewTempDir("ich-serve-intake-kill");
        var data = Path.Combine(dir, "data");
        var args = new[] { "--data", data, "--stable-seconds", "2" };
        var port = ServeProcess.FreePort();
        var first = await ServeProcess.StartAsync(ServeLaunch.TestHost, args, port: port);
        var study = TestStudies.Make(seed: 300, slices: 30);
        var uid = study[0].StudyUid;
        var acknowledged = new HashSet<string>();
        var failed = new List<TestInstance>();

        // Ten instances one per request, all acknowledged.
        using (var http = first.Client())
            foreach (var instance in study.Take(10))
                acknowledged.UnionWith((await new StowClient(http).StoreAsync([instance.Bytes])).StoredSops);
        Assert.Equal(10, acknowledged.Count);

        // Then one request with the other twenty that stalls after five parts; the process dies meanwhile.
        var stalled = new TaskCompletionSource();
        var fiveSent = new TaskCompletionSource();
        using (var http = first.Client())
        {
            using var content = new StalledMultipartContent(study.Skip(10).Select(i => i.Bytes).ToList(), stallAfter: 5, fiveSent, stalled.Task);
            var upload = http.PostAsync("/dicomweb/studies", content);
            await fiveSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Task.Delay(500); // the five parts reach the server
            first.Kill();
            stalled.SetResult();
            await Assert.ThrowsAnyAsync<Exception>(() => upload.WaitAsync(TimeSpan.FromSeconds(30)));
            failed.AddRange(study.Skip(10)); // no response: none of the twenty was acknowledged
        }
        first.Dispose();

        // Exactly the unacknowledged ones failed, and every acknowledged one survived the kill intact.
        Assert.Equal(study.Select(i => i.SopUid).Except(acknowledged).Order(), failed.Select(i => i.SopUid).Order());
        foreach (var instance in study.Where(i => acknowledged.Contains(i.SopUid)))
        {
            var path = Directory.GetFiles(Path.Combine(data, "studies", uid), instance.SopUid + ".dcm", SearchOption.AllDirectories).Single();
            Assert.Equal(instance.Bytes, File.ReadAllBytes(path));
        }

        using var second = await ServeProcess.StartAsync(ServeLaunch.TestHost, args, port: port);
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "incoming"))); // temp files of the dead upload removed
        using (var http = second.Client())
        {
            var resent = await new StowClient(http).StoreAsync(failed.Select(i => i.Bytes));
            Assert.Equal(HttpStatusCode.OK, resent.Status);
            Assert.Equal(failed.Select(i => i.SopUid), resent.StoredSops);
            await StudyPolling.WaitForAsync(http, [uid], Patience, StudyStatus.Done);
            var detail = await StudyPolling.DetailAsync(http, uid);
            Assert.Equal(30, detail["instances"]!.GetValue<int>());
            Assert.Equal(30, detail["slices"]!.AsArray().Count);
        }
        var files = Directory.GetFiles(Path.Combine(data, "studies", uid), "*.dcm", SearchOption.AllDirectories);
        Assert.Equal(30, files.Length);
        Assert.Equal(study.Select(i => i.SopUid).Order(), files.Select(f => Path.GetFileNameWithoutExtension(f)).Order());
    }

    [SkippableFact]
    public async Task TwoWorkerProcesses_OnOnePostgresQueue_ShareTwentyStudies_WithoutDuplicates()
    {
        var dsn = postgres.Server.NewDatabase();
        var dir = RepoPaths.NewTempDir("ich-serve-pg");
        var data = Path.Combine(dir, "data"); // stands for the shared folder all machines mount
        var log = Path.Combine(dir, "processed.log");
        const double stableSeconds = 1;
        using var intake = await ServeProcess.StartAsync(ServeLaunch.TestHost,
            ["--data", data, "--db", dsn, "--role", "intake", "--stable-seconds", stableSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var env = new Dictionary<string, string> { ["ICH_TEST_PROCESSOR_LOG"] = log, ["ICH_TEST_PROCESSOR_DELAY_MS"] = "300" };
        var workerArgs = new[] { "--data", data, "--db", dsn, "--role", "worker", "--workers", "2", "--poll-seconds", "0.1" };
        using var workerA = await ServeProcess.StartAsync(ServeLaunch.TestHost, workerArgs, env);
        using var workerB = await ServeProcess.StartAsync(ServeLaunch.TestHost, workerArgs, env);
        using var http = intake.Client();
        var studies = Enumerable.Range(400, 20).Select(seed => TestStudies.Make(seed, slices: 3)).ToList();
        var uploadSpans = new Dictionary<string, TimeSpan>();
        foreach (var study in studies)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, (await new StowClient(http).StoreAsync(study.Select(i => i.Bytes))).Status);
            uploadSpans[study[0].StudyUid] = clock.Elapsed;
        }

        var uids = studies.Select(s => s[0].StudyUid).ToList();
        await StudyPolling.WaitForAsync(http, uids, Patience, StudyStatus.Done);
        var lines = File.ReadAllLines(log);
        AssertProcessedOnceEach(lines, studies.ToDictionary(s => s[0].StudyUid, s => s.Count), uploadSpans, stableSeconds);
        var runs = lines.Select(l => l.Split(' ')).ToList();
        var pids = runs.Select(r => int.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(new HashSet<int> { workerA.Pid, workerB.Pid }, pids); // both processes took work
        foreach (var uid in uids)
            Assert.Equal(1, (await StudyPolling.DetailAsync(http, uid))["attempts"]!.GetValue<int>());
    }

    /// <summary>A multipart body that sends some parts, signals, and waits before sending the rest.</summary>
    private sealed class StalledMultipartContent : HttpContent
    {
        private readonly IReadOnlyList<byte[]> _parts;
        private readonly int _stallAfter;
        private readonly TaskCompletionSource _sent;
        private readonly Task _resume;

        public StalledMultipartContent(IReadOnlyList<byte[]> parts, int stallAfter, TaskCompletionSource sent, Task resume)
        {
            _parts = parts;
            _stallAfter = stallAfter;
            _sent = sent;
            _resume = resume;
            Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/related; type=\"application/dicom\"; boundary={StowClient.Boundary}");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < _parts.Count; i++)
            {
                if (i == _stallAfter)
                {
                    await stream.FlushAsync();
                    _sent.TrySetResult();
                    await _resume;
                }
                var single = StowClient.Body([_parts[i]]);
                await stream.WriteAsync(single.AsMemory(0, single.Length - (StowClient.Boundary.Length + 6))); // the part without the close delimiter
            }
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"--{StowClient.Boundary}--\r\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false; // chunked: the server cannot know the size up front
        }
    }
}
