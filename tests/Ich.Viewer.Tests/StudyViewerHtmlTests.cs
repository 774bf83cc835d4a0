using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ich.Viewer.Tests;

public class StudyViewerHtmlTests
{
    private const string Hostile = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;{{DATA}}</title>";

    [Fact]
    public void Render_HostileScanId_IsEscapedInMarkupAndRoundTripsThroughThePayload()
    {
        var html = StudyViewerHtml.Render(TinyStudy.Make(scanId: Hostile) with { ModelName = "<b>m</b>" });

        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>m</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        // Only the page's own two script elements and one title exist.
        Assert.Equal(2, Regex.Count(html, "<script", RegexOptions.IgnoreCase));
        Assert.Single(Regex.Matches(html, "</title>", RegexOptions.IgnoreCase));
        // The placeholder text inside the id was not expanded (single-pass template).
        Assert.Contains("{{DATA}}", html, StringComparison.Ordinal);
        Assert.Equal(Hostile, Payload(html).GetProperty("scanId").GetString());
    }

    [Fact]
    public void Render_TestContractAttributes_AndStartAtMostSuspiciousSlice()
    {
        var html = StudyViewerHtml.Render(TinyStudy.Make(slices: 5));
        // 'any' grows with the index in TinyStudy, so slice 4 is the most suspicious.
        Assert.Matches("<main class=\"ich\" data-ich-viewer data-slice-index=\"4\" data-slice-count=\"5\"", html);
        Assert.Equal(4, Payload(html).GetProperty("startSlice").GetInt32());
    }

    [Fact]
    public void Render_ContentSecurityPolicy_AllowsOnlyTheInlineScriptByItsHash()
    {
        var html = StudyViewerHtml.Render(TinyStudy.Make());
        var hash = Regex.Match(html, "script-src 'sha256-([A-Za-z0-9+/=]+)'").Groups[1].Value;
        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var expected = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
        Assert.Equal(expected, hash);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ClassWithoutThreshold_HasNullThreshold_FlaggedClassesMarked()
    {
        var classes = Payload(StudyViewerHtml.Render(TinyStudy.Make())).GetProperty("classes");
        Assert.Equal(JsonValueKind.Null, classes[3].GetProperty("threshold").ValueKind);
        Assert.Equal(0.5, classes[0].GetProperty("threshold").GetDouble());
        Assert.True(classes[0].GetProperty("flagged").GetBoolean());
        Assert.True(classes[5].GetProperty("flagged").GetBoolean());
        Assert.False(classes[1].GetProperty("flagged").GetBoolean());
    }

    [Fact]
    public void Render_Summary_HasDisclaimerModelAndFlags()
    {
        var html = StudyViewerHtml.Render(TinyStudy.Make());
        Assert.Contains("Research and triage-support software, not a medical device and not for diagnosis", html, StringComparison.Ordinal);
        Assert.Contains("test-model", html, StringComparison.Ordinal);
        Assert.Contains("any (ICH), subdural (SDH)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Stream_EqualsRender()
    {
        var study = TinyStudy.Make();
        using var stream = new MemoryStream();
        StudyViewerHtml.Write(stream, study);
        Assert.Equal(StudyViewerHtml.Render(study), System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Render_PredictedMasks_StoredForTheirSlicesOnly_WithTheSharedThresholdAndLabel()
    {
        var study = TinyStudy.Make(slices: 3, size: 4);
        var slices = study.Slices.ToArray();
        var mask = new float[16];
        mask[5] = 0.9f;
        slices[1] = slices[1] with { PredictedMask = mask };
        var payload = Payload(StudyViewerHtml.Render(study with { HasSegmentationHead = true, Slices = slices }));

        var head = payload.GetProperty("predictedMask");
        Assert.True(head.GetProperty("available").GetBoolean());
        Assert.Equal("predicted mask (segmentation head)", head.GetProperty("label").GetString());
        Assert.Equal(0.2, head.GetProperty("threshold").GetDouble(), 6);
        var stored = payload.GetProperty("slices").EnumerateArray().Select(s => s.GetProperty("mask")).ToArray();
        Assert.Equal(JsonValueKind.Null, stored[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, stored[2].ValueKind);
        Assert.Equal(Convert.ToBase64String(PlaneCodec.EncodeMask(mask, 4, 4)), stored[1].GetString());
        // The page's controls: the M key and the button, with the legend line the script fills.
        var html = StudyViewerHtml.Render(study with { HasSegmentationHead = true, Slices = slices });
        Assert.Contains("id=\"ich-mask-toggle\"", html, StringComparison.Ordinal);
        Assert.Contains("<kbd>M</kbd> predicted mask (segmentation head) on/off", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ModelWithoutSegmentationHead_SaysSoInThePayload_AndStoresNoMask()
    {
        var payload = Payload(StudyViewerHtml.Render(TinyStudy.Make()));
        Assert.False(payload.GetProperty("predictedMask").GetProperty("available").GetBoolean());
        Assert.All(payload.GetProperty("slices").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("mask").ValueKind));
    }

    internal static JsonElement Payload(string html)
    {
        var json = Regex.Match(html, "<script type=\"application/json\" id=\"ich-viewer-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
