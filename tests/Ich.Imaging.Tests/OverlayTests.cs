using Ich.Imaging.Overlays;

namespace Ich.Imaging.Tests;

public class OverlayTests
{
    [Theory]
    // Jet by hand: 0 → dark blue (0,0,127.5→128), 0.125 → blue, 0.375 → cyan, 0.5 → (127.5, 255, 127.5),
    // 0.625 → yellow, 0.875 → red, 1 → dark red.
    [InlineData(0f, 0, 0, 128)]
    [InlineData(0.125f, 0, 0, 255)]
    [InlineData(0.375f, 0, 255, 255)]
    [InlineData(0.5f, 128, 255, 128)]
    [InlineData(0.625f, 255, 255, 0)]
    [InlineData(0.875f, 255, 0, 0)]
    [InlineData(1f, 128, 0, 0)]
    [InlineData(2f, 128, 0, 0)]
    public void Jet_KeyPoints_MatchHandValues(float v, int r, int g, int b)
    {
        Assert.Equal(((byte)r, (byte)g, (byte)b), ColorMap.Jet(v));
    }

    [Fact]
    public void Compose_ColdPixel_IsPlainGrey_HotPixel_IsBlended()
    {
        float[] grey = [0.5f, 0.5f];
        float[] heat = [0.1f, 1f];
        var rgba = HeatmapOverlay.Compose(grey, heat, 2, 1, new OverlayOptions(Opacity: 0.5f, Threshold: 0.2f));
        Assert.Equal(new byte[] { 128, 128, 128, 255 }, rgba[..4]); // 127.5 rounds to even 128
        // heat 1 → jet (128, 0, 0), alpha 0.5: 127.5·0.5 + 128·0.5 = 127.75 → 128; 63.75 → 64.
        Assert.Equal(new byte[] { 128, 64, 64, 255 }, rgba[4..]);
    }

    [Fact]
    public void Compose_SizeMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => HeatmapOverlay.Compose(new float[4], new float[3], 2, 2));
    }

    [Fact]
    public void LegendStrip_TopIsHot_BottomIsCold_WithTicks()
    {
        var strip = LegendStrip.Vertical(8, 101);
        // Row 50 (heat 0.5), middle column: jet(0.5).
        var o = 4 * (50 * 8 + 4);
        Assert.Equal(new byte[] { 128, 255, 128, 255 }, strip[o..(o + 4)]);
        // Top row middle = jet(1); bottom row middle = jet(0).
        Assert.Equal(new byte[] { 128, 0, 0 }, strip[(4 * 4)..(4 * 4 + 3)]);
        var last = 4 * (100 * 8 + 4);
        Assert.Equal(new byte[] { 0, 0, 128 }, strip[last..(last + 3)]);
        // Tick at row 25, left edge is black.
        var tick = 4 * (25 * 8);
        Assert.Equal(new byte[] { 0, 0, 0, 255 }, strip[tick..(tick + 4)]);
    }
}

public class OverlayOnSliceTests
{
    [Fact]
    public void ComposeOnSlice_UpsamplesHeatAndUsesBrainWindowBackground()
    {
        // 4×4 slice at 40 HU (brain window grey 0.5 → 127.5); 2×2 heat map all zeros except nothing hot:
        // output must be plain grey 128 (banker's rounding of 127.5) everywhere.
        var hu = new Ich.Core.Scans.HuImage(4, 4, Enumerable.Repeat(40f, 16).ToArray());
        var rgba = HeatmapOverlay.ComposeOnSlice(hu, new float[4], 2, 2);
        Assert.Equal(64, rgba.Length);
        for (var i = 0; i < 16; i++) Assert.Equal(new byte[] { 128, 128, 128, 255 }, rgba[(4 * i)..(4 * i + 4)]);

        // A uniformly hot map (1.0) blends jet(1) = (128, 0, 0) at the default opacity 0.45 everywhere:
        // R = 127.5·0.55 + 128·0.45 = 127.725 → 128; G = B = 127.5·0.55 = 70.125 → 70.
        var hot = HeatmapOverlay.ComposeOnSlice(hu, [1f, 1f, 1f, 1f], 2, 2);
        Assert.Equal(new byte[] { 128, 70, 70, 255 }, hot[..4]);
        Assert.Equal(new byte[] { 128, 70, 70, 255 }, hot[60..]);
    }
}
