using System.Net;
using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Ich.Serve.Tests.Support;
using Ich.TestKit;
using Microsoft.Playwright;

namespace Ich.Serve.Tests;

/// <summary>
/// The worklist in a real browser (Playwright driving Debian's /usr/bin/chromium): token entered once and
/// kept for the session, order by suspicion, auto-refresh, and a click that opens the report at the
/// most suspicious slice. Screenshot saved to artifacts/screenshots/.
/// </summary>
public class WorklistPlaywrightTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Token = "worklist-token-0123456789abcdef";

    [SkippableFact]
    public async Task Worklist_WithToken_SortsRefreshesAndOpensTheMostSuspiciousSlice()
    {
        Skip.IfNot(File.Exists(Chromium), $"skipped: {Chromium} missing (apt package chromium)");
        var dir = RepoPaths.NewTempDir("ich-worklist-pw");
        await File.WriteAllTextAsync(Path.Combine(dir, "token"), Token);
        await using var service = await InProcessService.StartAsync(new ServeOptions
        {
            DataDir = Path.Combine(dir, "data"), StableSeconds = 0.3, PollSeconds = 0.1, TokenFile = Path.Combine(dir, "token"),
        });
        using var http = service.Client(Token);
        var low = TestStudies.Make(seed: 11, slices: 3, accession: "LOW", brightness: 2000);
        var high = TestStudies.Make(seed: 12, slices: 5, accession: "HIGH", brightness: 600);
        foreach (var study in new[] { low, high })
            Assert.Equal(HttpStatusCode.OK, (await new StowClient(http).StoreAsync(study.Select(i => i.Bytes))).Status);
        await StudyPolling.WaitForAsync(http, [low[0].StudyUid, high[0].StudyUid], TimeSpan.FromSeconds(60), StudyStatus.Done);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 900, Height = 600 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error" && !m.Text.Contains("401", StringComparison.Ordinal)) errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(service.BaseAddress + "");
        await Assertions.Expect(page.Locator("#message")).ToContainTextAsync("access token");
        await page.FillAsync("#token", Token);
        await page.ClickAsync("button[type=submit]");
        var rows = page.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        Assert.Equal([high[0].StudyUid, low[0].StudyUid], await RowUids(page));

        // Auto-refresh: a new flagged study, less suspicious than HIGH, appears in its place without any user action.
        var middle = TestStudies.Make(seed: 13, slices: 2, accession: "MIDDLE", brightness: 1000);
        var (maxLow, maxMiddle, maxHigh) = (low.Select(TestStudies.ExpectedAny).Max(), middle.Select(TestStudies.ExpectedAny).Max(), high.Select(TestStudies.ExpectedAny).Max());
        Assert.True(maxLow < 0.5 && 0.5 <= maxMiddle && maxMiddle < maxHigh, $"test data: {maxLow} {maxMiddle} {maxHigh}");
        await new StowClient(http).StoreAsync(middle.Select(i => i.Bytes));
        await StudyPolling.WaitForAsync(http, [middle[0].StudyUid], TimeSpan.FromSeconds(60), StudyStatus.Done);
        await Assertions.Expect(rows).ToHaveCountAsync(3, new() { Timeout = 15_000 });
        Assert.Equal([high[0].StudyUid, middle[0].StudyUid, low[0].StudyUid], await RowUids(page));

        // The token is kept for the session: a reload shows the list without asking again.
        await page.ReloadAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "screenshots"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(RepoPaths.Root, "artifacts", "screenshots", "worklist.png") });

        // A click opens the report at the slice with the highest "any" (computed here from the pixels sent;
        // for this study it is an inner slice, index 2 of 5).
        var expectedSlice = high.Select(TestStudies.ExpectedAny).Select((p, i) => (p, i)).MaxBy(t => t.p).i;
        Assert.Equal(2, expectedSlice);
        var popup = await context.RunAndWaitForPageAsync(() => page.Locator($"tr[data-study-uid='{high[0].StudyUid}']").ClickAsync());
        // Poll the popup's URL instead of waiting for a navigation event: with other test projects running beside this
        // one, WaitForURL missed the blob page's load and timed out although the page was there (seen in CI runs).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!popup.Url.EndsWith($"#slice={expectedSlice}", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(100);
        Assert.EndsWith($"#slice={expectedSlice}", popup.Url, StringComparison.Ordinal);
        Assert.StartsWith("blob:", popup.Url, StringComparison.Ordinal); // fetched with the bearer header, not a bare link
        await Assertions.Expect(popup.Locator("h1")).ToHaveTextAsync("Test double report");
        Assert.Empty(errors);
    }

    private static async Task<string[]> RowUids(IPage page) =>
        (await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.studyUid)"));
}
