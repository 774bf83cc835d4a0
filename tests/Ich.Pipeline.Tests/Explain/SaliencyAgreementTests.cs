using Ich.Model.Explain;

namespace Ich.Pipeline.Tests.Explain;

public class SaliencyAgreementTests
{
    private static readonly bool[] Mask = [false, true, true, false];

    [Fact]
    public void PointingHit_PeakInsideMask_IsTrue() => Assert.True(SaliencyAgreement.PointingHit([0.1f, 0.2f, 0.9f, 0.3f], Mask));

    [Fact]
    public void PointingHit_PeakOutsideMask_IsFalse() => Assert.False(SaliencyAgreement.PointingHit([0.9f, 0.2f, 0.5f, 0.3f], Mask));

    [Fact]
    public void PointingHit_AllZeroMap_IsFalse() => Assert.False(SaliencyAgreement.PointingHit([0, 0, 0, 0], Mask));

    [Fact]
    public void MassInside_HandExample_IsInsideOverTotal()
    {
        // inside 0.2 + 0.5 = 0.7 of total 0.1 + 0.2 + 0.5 + 0.2 = 1.0
        Assert.Equal(0.7, SaliencyAgreement.MassInside([0.1f, 0.2f, 0.5f, 0.2f], Mask), 6);
        Assert.True(double.IsNaN(SaliencyAgreement.MassInside([0, 0, 0, 0], Mask)));
    }
}
