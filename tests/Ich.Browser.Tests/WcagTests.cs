using Ich.Browser.Tests.Kit;

namespace Ich.Browser.Tests;

public class WcagTests
{
    [Theory]
    // Reference ratios from the WCAG 2.x definition, by hand: black/white 21; #777777 on white 4.48 (the
    // classic just-failing grey); #767676 on white 4.54 (the lightest passing grey).
    [InlineData("rgb(0, 0, 0)", "rgb(255, 255, 255)", 21.0)]
    [InlineData("rgb(119, 119, 119)", "rgb(255, 255, 255)", 4.48)]
    [InlineData("rgb(118, 118, 118)", "rgb(255, 255, 255)", 4.54)]
    [InlineData("rgb(255, 255, 255)", "rgb(255, 255, 255)", 1.0)]
    public void ContrastRatio_MatchesWcagReferenceValues(string text, string background, double expected) =>
        Assert.Equal(expected, Wcag.ContrastRatio(Wcag.Parse(text), Wcag.Parse(background)), 2);

    [Fact]
    public void Composite_HalfBlackOverWhite_IsMidGrey()
    {
        var c = Wcag.Composite(["rgba(0, 0, 0, 0.5)", "rgb(255, 255, 255)"]);
        Assert.Equal(127.5, c.R, 3);
        Assert.Equal(1, c.A);
    }
}
