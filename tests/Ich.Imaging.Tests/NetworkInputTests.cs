using Ich.Core.Scans;
using Ich.Imaging;

namespace Ich.Imaging.Tests;

public class NetworkInputTests
{
    private static HuImage Constant(int size, float hu) => new(size, size, Enumerable.Repeat(hu, size * size).ToArray());

    [Theory]
    // HU → (brain (hu − 0)/80, subdural (hu + 20)/200, bone (hu + 800)/2800), each clipped to [0, 1]; by hand.
    [InlineData(-1000f, 0f, 0f, 0f)]
    [InlineData(0f, 0f, 0.1f, 0.2857143f)]
    [InlineData(40f, 0.5f, 0.3f, 0.3f)]
    [InlineData(100f, 1f, 0.6f, 0.3214286f)]
    [InlineData(1300f, 1f, 1f, 0.75f)]
    public void FromHu_ConstantSlice_GivesHandComputedChannels(float hu, float brain, float subdural, float bone)
    {
        var input = NetworkInput.FromHu(Constant(40, hu), 16);
        Assert.Equal(3 * 16 * 16, input.Length);
        for (var i = 0; i < 256; i++)
        {
            Assert.Equal(brain, input[i], 5);
            Assert.Equal(subdural, input[256 + i], 5);
            Assert.Equal(bone, input[512 + i], 5);
        }
    }

    [Fact]
    public void FromHu_SameSize_KeepsPixelPositions()
    {
        // Pixel (row 2, col 5) = 60 HU, rest air: without resampling it must land at [c, 2, 5] only.
        var pixels = Enumerable.Repeat(-1000f, 16 * 16).ToArray();
        pixels[2 * 16 + 5] = 60f;
        var input = NetworkInput.FromHu(new HuImage(16, 16, pixels), 16);
        Assert.Equal(0.75f, input[2 * 16 + 5], 6);              // brain: 60/80
        Assert.Equal(0.4f, input[256 + 2 * 16 + 5], 6);         // subdural: 80/200
        Assert.Equal(860f / 2800f, input[512 + 2 * 16 + 5], 6); // bone
        Assert.Equal(1, input.Take(256).Count(v => v > 0));
    }

    [Fact]
    public void FromHu_IsDeterministic()
    {
        var rnd = new Random(3);
        var pixels = Enumerable.Range(0, 97 * 83).Select(_ => (float)(rnd.NextDouble() * 3000 - 1000)).ToArray();
        var hu = new HuImage(97, 83, pixels);
        Assert.Equal(NetworkInput.FromHu(hu, 32), NetworkInput.FromHu(hu, 32));
    }

    [Fact]
    public void FromAdjacent_OrdersChannelsAboveCurrentBelow_AndRepeatsAtEnds()
    {
        var below = Constant(8, 20f);   // brain: 0.25
        var current = Constant(8, 40f); // 0.5
        var above = Constant(8, 60f);   // 0.75
        var input = NetworkInput.FromAdjacent(below, current, above, HuWindow.Brain, 8);
        Assert.Equal(0.75f, input[0], 6);
        Assert.Equal(0.5f, input[64], 6);
        Assert.Equal(0.25f, input[128], 6);

        var atBottom = NetworkInput.FromAdjacent(null, current, above, HuWindow.Brain, 8);
        Assert.Equal(0.5f, atBottom[128], 6);
    }

    [Fact]
    public void ForSlice_AdjacentMode_LoadsNeighbours()
    {
        var slices = new[] { 10f, 20f, 30f }.Select((hu, i) =>
            new SliceRecord(i.ToString(), i, i * 5.0, null, () => Constant(8, hu))).ToList();
        var options = new NetworkInputOptions(8, ChannelMode.AdjacentSlices, new HuWindow(20, 40)); // [0, 40]
        var top = NetworkInput.ForSlice(slices, 2, options);
        Assert.Equal(30f / 40, top[0], 6);   // s+1 missing → current
        Assert.Equal(30f / 40, top[64], 6);
        Assert.Equal(20f / 40, top[128], 6); // s−1
        var paper = NetworkInput.ForSlice(slices, 1, new NetworkInputOptions(8));
        Assert.Equal(20f / 80, paper[0], 6);
    }

    [Fact]
    public void FromAdjacent_SizeMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => NetworkInput.FromAdjacent(Constant(8, 0), Constant(16, 0), null, HuWindow.Brain, 8));
    }
}

public class AdjacentWindowsTests
{
    private static HuImage Constant(int size, float hu) => new(size, size, Enumerable.Repeat(hu, size * size).ToArray());

    [Fact]
    public void ForSlice_AdjacentWindows_BrainBelowSubduralCurrentBoneAbove()
    {
        // Slices at 20, 30, 1300 HU. Middle slice: brain(20) = 20/80 = 0.25; subdural(30) = 50/200 = 0.25;
        // bone(1300) = 2100/2800 = 0.75. Top slice (no s+1): bone of itself = 0.75, subdural(1300) = 1.
        var slices = new[] { 20f, 30f, 1300f }.Select((hu, i) =>
            new SliceRecord(i.ToString(), i, i * 5.0, null, () => Constant(8, hu))).ToList();
        var options = new NetworkInputOptions(8, ChannelMode.AdjacentWindows);
        var mid = NetworkInput.ForSlice(slices, 1, options);
        Assert.Equal(0.25f, mid[0], 6);
        Assert.Equal(0.25f, mid[64], 6);
        Assert.Equal(0.75f, mid[128], 6);
        var top = NetworkInput.ForSlice(slices, 2, options);
        Assert.Equal(30f / 80, top[0], 6);
        Assert.Equal(1f, top[64], 6);
        Assert.Equal(0.75f, top[128], 6);
    }
}
