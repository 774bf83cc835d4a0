using Ich.Imaging.Overlays;

namespace Ich.Imaging.Tests;

/// <summary>The one predicted-mask convention shared by the report's overlay and the study viewer's mask layer.</summary>
public class PredictedMaskDisplayTests
{
    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.2f, false)]     // at the threshold: not drawn, as HeatmapOverlay draws nothing at or below it
    [InlineData(0.2001f, true)]
    [InlineData(1f, true)]
    [InlineData(float.NaN, false)]
    public void IsDrawn_StrictlyAboveTwoTenths(float probability, bool drawn) =>
        Assert.Equal(drawn, PredictedMaskDisplay.IsDrawn(probability));

    [Fact]
    public void ReportOverlay_ChangesNoPixelOutsideTheViewerRegion_AndColoursClearlyInsideOnes()
    {
        // A ramp of probabilities over one grey level: the report's heat map (PredictedMaskDisplay.Options) must leave
        // every pixel the viewer does not draw plain grey, and colour a pixel well inside the region.
        var mask = Enumerable.Range(0, 101).Select(i => i / 100f).ToArray();
        var grey = Enumerable.Repeat(0.4f, mask.Length).ToArray();
        var rgba = HeatmapOverlay.Compose(grey, mask, mask.Length, 1, PredictedMaskDisplay.Options);
        var region = PredictedMaskDisplay.Region(mask);
        const byte plain = 102; // 0.4 · 255
        for (var i = 0; i < mask.Length; i++)
        {
            var changed = rgba[4 * i] != plain || rgba[4 * i + 1] != plain || rgba[4 * i + 2] != plain;
            if (!region[i]) Assert.False(changed, $"probability {mask[i]} is outside the region but the report colours it");
        }
        Assert.Equal(80, region.Count(r => r)); // 0.21 … 1.00
        Assert.NotEqual(plain, rgba[4 * 60 + 1]); // p = 0.6: jet green 255 blended at alpha 0.325
    }
}
