using Ich.Browser.Tests.Kit;
using Ich.TestKit;
using Ich.Viewer;

namespace Ich.Browser.Tests;

/// <summary>Writes the 40-slice phantom viewer once and starts one Chromium for all viewer tests.</summary>
public sealed class ViewerFixture : IAsyncLifetime
{
    public PhantomStudy Phantom { get; private set; } = null!;
    public string HtmlPath { get; private set; } = null!;
    public ChromiumSession? Chromium { get; private set; }
    public string Folder { get; } = RepoPaths.NewTempDir("ich-viewer");

    public async Task InitializeAsync()
    {
        Chromium = await ChromiumSession.StartAsync();
        if (Chromium is null) return; // every test skips by name
        Phantom = PhantomStudy.Create();
        HtmlPath = Path.Combine(Folder, "viewer.html");
        StudyViewerHtml.Write(HtmlPath, Phantom.Study);
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
