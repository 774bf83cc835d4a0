using System.Collections.Concurrent;
using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Ich.Serve.Tests.Support;
using Ich.Serve.Work;
using Ich.TestKit;

namespace Ich.Serve.Tests;

/// <summary>The --forward-to seam: results are forwarded before a study is done, and a failed send is retried.</summary>
public class ForwardingTests
{
    /// <summary>TEST DOUBLE forwarder: fails its first call, then copies what it is given.</summary>
    private sealed class FlakyRecordingForwarder : IResultForwarder
    {
        public ConcurrentQueue<(string Study, byte[][] Files)> Sent { get; } = new();
        public int Calls;

        public Task ForwardAsync(string studyInstanceUid, IReadOnlyList<string> dicomFiles, CancellationToken cancel)
        {
            if (Interlocked.Increment(ref Calls) == 1) throw new HttpRequestException("PACS unreachable (simulated)");
            Sent.Enqueue((studyInstanceUid, dicomFiles.Select(File.ReadAllBytes).ToArray()));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Results_AreForwardedBeforeDone_AndAFailedSendIsRetried()
    {
        var forwarder = new FlakyRecordingForwarder();
        var dir = RepoPaths.NewTempDir("ich-forward");
        var options = new ServeOptions { DataDir = dir, StableSeconds = 0.3, PollSeconds = 0.1, ForwardTo = "http://127.0.0.1:1/dicom-web" };
        await using var service = await InProcessService.StartAsync(options, forwarder);
        using var http = service.Client();
        var study = TestStudies.Make(seed: 600, slices: 3);
        await new StowClient(http).StoreAsync(study.Select(i => i.Bytes));

        await StudyPolling.WaitForAsync(http, [study[0].StudyUid], TimeSpan.FromSeconds(30), StudyStatus.Done);
        var detail = await StudyPolling.DetailAsync(http, study[0].StudyUid);
        Assert.Equal(2, detail["attempts"]!.GetValue<int>()); // the failed send counted as a failed attempt
        Assert.Equal(2, forwarder.Calls);
        var (uid, files) = Assert.Single(forwarder.Sent);
        Assert.Equal(study[0].StudyUid, uid);
        // The test double's "result DICOM" is a copy of the lowest slice: exactly that file was forwarded.
        Assert.Equal(study[0].Bytes, Assert.Single(files));
    }

    [Fact]
    public async Task ForwardTo_WithoutAForwarder_IsRefusedAtStartUp()
    {
        var options = new ServeOptions { DataDir = RepoPaths.NewTempDir("ich-forward"), ForwardTo = "http://127.0.0.1:1/dicom-web" };
        var e = await Assert.ThrowsAsync<Ich.Core.Errors.ConfigException>(() => InProcessService.StartAsync(options));
        Assert.Contains("--forward-to", e.Message, StringComparison.Ordinal);
    }
}
