using Ich.Data.PhysioNet;

namespace Ich.Data.Tests;

/// <summary>
/// Expected values by hand from the README's window definitions: brain 40/120 (gray 0 = −20 HU,
/// 255 = 100 HU → 120/255 HU per level), bone 700/3200 (gray 0 = −900 HU, 255 = 2300 HU → 3200/255).
/// </summary>
public class WindowPairHuTests
{
    [Theory]
    [InlineData(0, -20.0)]
    [InlineData(255, 100.0)]
    [InlineData(102, 28.0)]            // −20 + 102·120/255
    [InlineData(128, 40.2352941)]      // −20 + 128·120/255
    public void BrainGrayToHu_MatchesReadmeWindow(double gray, double hu)
    {
        Assert.Equal(hu, WindowPairHu.BrainGrayToHu(gray), 5);
    }

    [Theory]
    [InlineData(0, -900.0)]
    [InlineData(255, 2300.0)]
    [InlineData(197, 1572.1568627)]    // −900 + 197·3200/255
    [InlineData(75, 41.1764706)]       // −900 + 75·3200/255
    public void NominalBoneMapping_MatchesReadmeWindow(double gray, double hu)
    {
        Assert.Equal(hu, BoneMapping.Nominal.BoneGrayToHu(gray), 4);
        Assert.Equal(0.0375, BoneMapping.Nominal.Slope, 10);
        Assert.Equal(70.125, BoneMapping.Nominal.Intercept, 10);
    }

    [Theory]
    [InlineData(128, 75, 40.2352941)]   // both resolve and agree: brain value (finer)
    [InlineData(255, 197, 1572.1568627)] // brain saturated high: bone value
    [InlineData(0, 0, -900.0)]          // air: bone value (clipped at the bone window's floor)
    [InlineData(0, 40, -398.0392157)]   // fat-like: −900 + 40·3200/255
    [InlineData(255, 72, 100.0)]        // saturated brain proves ≥ 100 HU although bone says 3.5
    [InlineData(0, 80, -20.0)]          // saturated-low brain proves ≤ −20 HU although bone says 103.9
    [InlineData(250, 150, 982.3529412)] // unsaturated brain contradicted by bone (> 150 HU): bone wins
    public void PixelHu_NominalMapping_FollowsRules(byte brain, byte bone, double expected)
    {
        Assert.Equal(expected, WindowPairHu.PixelHu(brain, bone, BoneMapping.Nominal), 3);
    }

    [Fact]
    public void PixelHu_ShiftedBoneWindow_UsesFittedMapping()
    {
        // A bone export 8 gray levels lower (patient 050 of the README): gray 143 is
        // ((143 − 62.125)/0.0375)·120/255 − 20 = 994.9 HU, not the nominal 894.5 HU.
        var shifted = new BoneMapping(0.0375, 62.125);
        Assert.Equal(994.9019608, WindowPairHu.PixelHu(255, 143, shifted), 3);
        Assert.Equal(894.5098039, WindowPairHu.PixelHu(255, 143, BoneMapping.Nominal), 3);
    }

    [Fact]
    public void Rebuild_UsesThePixelRule()
    {
        byte[] brain = [128, 255, 0, 250];
        byte[] bone = [75, 197, 0, 150];
        var hu = WindowPairHu.Rebuild(brain, bone, BoneMapping.Nominal);
        for (var i = 0; i < 4; i++)
            Assert.Equal(WindowPairHu.PixelHu(brain[i], bone[i], BoneMapping.Nominal), hu[i]);
    }

    [Fact]
    public void BoneWindowFit_SyntheticPair_RecoversMapping()
    {
        // Brain gray levels 20..230 in 8-pixel bands; bone = round(0.075·g + 66) (a window twice as narrow).
        const int w = 64, h = 64;
        var brain = new byte[w * h];
        var bone = new byte[w * h];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var g = 20 + (x / 8 + 8 * (y / 8)) * 3;
            brain[y * w + x] = (byte)g;
            bone[y * w + x] = (byte)Math.Round(0.075 * g + 66);
        }
        var slices = Enumerable.Repeat((brain, bone), 4);
        var (fit, blocks) = BoneWindowFit.Fit(slices, w, h);
        Assert.Equal(256, blocks);
        Assert.NotNull(fit);
        Assert.InRange(fit.Value.Slope, 0.0745, 0.0755);
        Assert.InRange(fit.Value.Intercept, 65.9, 66.1);
    }

    [Fact]
    public void BoneWindowFit_AllSaturated_ReturnsNull()
    {
        var brain = Enumerable.Repeat((byte)255, 64 * 64).ToArray();
        var (fit, blocks) = BoneWindowFit.Fit([(brain, brain)], 64, 64);
        Assert.Null(fit);
        Assert.Equal(0, blocks);
    }
}
