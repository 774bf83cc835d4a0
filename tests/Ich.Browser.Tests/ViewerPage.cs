using System.Globalization;
using Ich.Browser.Tests.Kit;
using Microsoft.Playwright;

namespace Ich.Browser.Tests;

/// <summary>Small helpers that read the viewer's test contract and canvases from a page.</summary>
internal static class ViewerPage
{
    public const string Root = "[data-ich-viewer]";

    /// <summary>Opens a viewer file (with an optional #fragment) and waits for its first paint.</summary>
    public static async Task<WatchedPage> OpenAsync(ChromiumSession chromium, string htmlPath, string fragment = "", int width = 1280, int height = 900)
    {
        var watched = await chromium.NewPageAsync(width, height);
        await watched.Page.GotoAsync(new Uri(htmlPath).AbsoluteUri + fragment);
        await watched.Page.WaitForSelectorAsync(Root + "[data-ready='1']");
        return watched;
    }

    public static async Task<int> SliceIndexAsync(IPage page) =>
        int.Parse((await page.GetAttributeAsync(Root, "data-slice-index"))!, CultureInfo.InvariantCulture);

    /// <summary>Waits until the canvas shows <paramref name="slice"/> (decoding is asynchronous).</summary>
    /// <param name="mask">The predicted-mask layer's rendered state: drawn | none (no mask on the slice) | off | unavailable.</param>
    public static Task WaitRenderedAsync(IPage page, int slice, string? preset = null, string? overlay = null, string? mask = null) =>
        page.WaitForFunctionAsync(
            @"([s, p, o, m]) => { const d = document.querySelector('[data-ich-viewer]').dataset;
                return d.renderedSlice === s && (p === null || d.renderedPreset === p) && (o === null || d.renderedOverlay === o)
                    && (m === null || d.renderedMask === m); }",
            new object?[] { slice.ToString(CultureInfo.InvariantCulture), preset, overlay, mask });

    /// <summary>One channel of a canvas (0 = red … 3 = alpha), all pixels row-major.</summary>
    public static async Task<byte[]> CanvasChannelAsync(IPage page, string canvasId, int channel)
    {
        var base64 = await page.EvaluateAsync<string>(@"([id, ch]) => {
            const c = document.getElementById(id);
            const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const out = new Uint8Array(px.length / 4);
            for (let i = 0; i < out.length; i++) out[i] = px[4 * i + ch];
            let s = '';
            for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode.apply(null, out.subarray(i, i + 8192));
            return btoa(s);
        }", new object[] { canvasId, channel });
        return Convert.FromBase64String(base64);
    }
}
