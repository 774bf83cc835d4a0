using Ich.Imaging;

namespace Ich.Imaging.Tests;

public class HuWindowTests
{
    [Theory]
    // Brain 40/80 → [0, 80] HU: hand-computed (hu − 0) / 80.
    [InlineData(40, 80, -1000f, 0f)]
    [InlineData(40, 80, 0f, 0f)]
    [InlineData(40, 80, 20f, 0.25f)]
    [InlineData(40, 80, 60f, 0.75f)]
    [InlineData(40, 80, 80f, 1f)]
    [InlineData(40, 80, 3000f, 1f)]
    // Subdural 80/200 → [−20, 180]: (hu + 20) / 200.
    [InlineData(80, 200, 30f, 0.25f)]
    [InlineData(80, 200, 130f, 0.75f)]
    // Bone 600/2800 → [−800, 2000]: (hu + 800) / 2800.
    [InlineData(600, 2800, -100f, 0.25f)]
    [InlineData(600, 2800, 1300f, 0.75f)]
    public void Apply_HandComputedValues_Match(double center, double width, float hu, float expected)
    {
        Assert.Equal(expected, new HuWindow(center, width).Apply(hu), 6);
    }

    [Fact]
    public void Apply_NaN_MapsToZero()
    {
        Assert.Equal(0f, HuWindow.Brain.Apply(float.NaN));
    }

    [Fact]
    public void PaperChannels_AreBrainSubduralBone()
    {
        Assert.Equal([new HuWindow(40, 80), new HuWindow(80, 200), new HuWindow(600, 2800)], HuWindow.PaperChannels);
    }

    [Theory]
    [InlineData("brain", 40, 80)]
    [InlineData("bone", 600, 2800)]
    [InlineData("50/150", 50, 150)]
    [InlineData("-600/1500", -600, 1500)]
    public void Parse_NamesAndCenterWidth_Parse(string text, double center, double width)
    {
        Assert.Equal(new HuWindow(center, width), HuWindow.Parse(text));
    }

    [Theory]
    [InlineData("40")]
    [InlineData("40/0")]
    [InlineData("lung-ish")]
    public void Parse_Bad_ThrowsFormatException(string text)
    {
        var e = Assert.Throws<FormatException>(() => HuWindow.Parse(text));
        Assert.Contains(text, e.Message);
    }
}
