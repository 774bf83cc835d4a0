using Microsoft.Playwright;
using Ich.TestKit;

namespace Ich.Browser.Tests.Kit;

/// <summary>
/// Reusable launcher for browser tests: Playwright (.NET) driving Debian's <c>/usr/bin/chromium</c>
/// (Playwright's own browser download cannot work on these machines). One session = one Playwright driver
/// and one headless browser; <see cref="NewPageAsync"/> gives pages that record console errors and
/// uncaught exceptions. Use it from an xUnit class fixture and call <see cref="SkipIfAbsent"/> first in each test.
/// </summary>
public sealed class ChromiumSession : IAsyncDisposable
{
    /// <summary>Debian's Chromium (package <c>chromium</c>).</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Flags for a root, GPU-less, offline machine: no sandbox (root), no GPU, no background traffic.</summary>
    public static readonly IReadOnlyList<string> Arguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright playwright;

    private ChromiumSession(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    /// <summary>The launched browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>True when Debian's Chromium is installed.</summary>
    public static bool IsAvailable => File.Exists(ExecutablePath);

    /// <summary>Skips the calling test, by name with the reason, when Chromium is not installed.</summary>
    public static void SkipIfAbsent() =>
        Skip.IfNot(IsAvailable, $"skipped: {ExecutablePath} not found (apt-get install chromium; .ci/run installs it)");

    /// <summary>Starts Playwright and a headless Chromium; null when Chromium is absent (tests then skip).</summary>
    public static async Task<ChromiumSession?> StartAsync()
    {
        if (!IsAvailable) return null;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new ChromiumSession(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page in its own context with the given viewport; its console errors go to <see cref="WatchedPage.Errors"/>.</summary>
    public async Task<WatchedPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return new WatchedPage(context, page);
    }

    /// <summary>Saves a full-page screenshot as <c>artifacts/screenshots/NAME.png</c> (kept by CI) and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var dir = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright.Dispose();
    }
}

/// <summary>A page plus everything it reported as an error (console errors, uncaught exceptions, failed requests).</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext context;
    private readonly List<string> errors = [];

    internal WatchedPage(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add("console: " + message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add("page error: " + error); };
        page.RequestFailed += (_, request) => { lock (errors) errors.Add("request failed: " + request.Url); };
        page.Dialog += async (_, dialog) => { lock (errors) errors.Add("dialog: " + dialog.Message); await dialog.DismissAsync(); };
    }

    public IPage Page { get; }

    /// <summary>Errors seen so far (a copy).</summary>
    public IReadOnlyList<string> Errors { get { lock (errors) return [.. errors]; } }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
