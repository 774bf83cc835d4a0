using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Ich.Serve.Tests.Support;
using Ich.TestKit;

namespace Ich.Serve.Tests;

/// <summary>The worklist page (GET /) rendered by Debian's headless chromium against a live service.</summary>
public partial class WorklistBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Hostile = "<img src=x onerror=\"document.title='pwned'\">&amp;";

    [SkippableFact]
    public async Task Worklist_SortsBySuspicion_AndShowsAHostileAccessionAsText()
    {
        Skip.IfNot(File.Exists(Chromium), $"skipped: {Chromium} missing (apt package chromium)");
        var dir = RepoPaths.NewTempDir("ich-worklist");
        await using var service = await InProcessService.StartAsync(new ServeOptions { DataDir = dir, StableSeconds = 0.3, PollSeconds = 0.1 });
        using var http = service.Client();
        // Brightness sets the mean pixel value and so the test double's "any" score: two flagged, two not.
        var studies = new[]
        {
            TestStudies.Make(seed: 1, slices: 2, accession: "LOW", brightness: 0),
            TestStudies.Make(seed: 2, slices: 2, accession: Hostile, brightness: 1900),
            TestStudies.Make(seed: 3, slices: 2, accession: "MID", brightness: 300),
            TestStudies.Make(seed: 4, slices: 2, accession: "HIGH", brightness: 1800),
        };
        foreach (var study in studies)
            Assert.Equal(HttpStatusCode.OK, (await new StowClient(http).StoreAsync(study.Select(i => i.Bytes))).Status);
        await StudyPolling.WaitForAsync(http, studies.Select(s => s[0].StudyUid).ToList(), TimeSpan.FromSeconds(60), StudyStatus.Done);

        // Expected order from the pixel values the test wrote: flagged (any >= 0.5) first, then by max any.
        var expected = studies
            .Select(s => (Uid: s[0].StudyUid, Max: s.Select(TestStudies.ExpectedAny).Max()))
            .OrderByDescending(s => s.Max >= 0.5).ThenByDescending(s => s.Max).Select(s => s.Uid).ToList();
        Assert.Equal(2, studies.Count(s => s.Select(TestStudies.ExpectedAny).Max() >= 0.5)); // the data really has both kinds

        var dom = await DumpDomAsync(service.BaseAddress);
        var rendered = RowUid().Matches(dom).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(expected, rendered);
        Assert.Equal(2, Regex.Count(dom, "<tr [^>]*class=\"flagged\""));
        Assert.Contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;&amp;amp;", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("pwned</title>", dom, StringComparison.Ordinal);
    }

    private static async Task<string> DumpDomAsync(Uri page)
    {
        var profile = RepoPaths.NewTempDir("ich-chromium");
        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", "--virtual-time-budget=4000", "--dump-dom", page.ToString() })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync(); // dbus noise
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within 90 s");
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
        return await stdout;
    }

    [GeneratedRegex("<tr [^>]*data-study-uid=\"([0-9.]+)\"")]
    private static partial Regex RowUid();
}
