using Ich.Core.Scans;
using Ich.Imaging;

namespace Ich.Synth.Tests;

/// <summary><see cref="HeadFrameSearch"/> on the analytic head phantom, and the invariance framing exists for.</summary>
public class HeadFramePhantomTests
{
    private static HuImage[] Scan(PhantomStyle style, int index)
    {
        var plan = ScanPlanner.Plan(new SynthOptions { Seed = 11, Size = 128, ThicknessMm = 5, Style = style }, index);
        return Enumerable.Range(0, plan.SliceCount).Select(k =>
        {
            var slice = PhantomGenerator.RenderSlice(plan, k);
            var hu = slice.Hu!.Select((v, i) => slice.InsideFov[i] ? v : -1000f).ToArray(); // outside the FOV is air, as the readers give it
            return new HuImage(plan.Size, plan.Size, hu, plan.PixelSpacingMm);
        }).ToArray();
    }

    [Theory]
    [InlineData(PhantomStyle.Standard, 0)]
    [InlineData(PhantomStyle.Broad, 3)]
    [InlineData(PhantomStyle.Shifted, 5)]
    public void Find_Phantom_FrameHoldsAllTissueOfEverySlice(PhantomStyle style, int index)
    {
        var scan = Scan(style, index);
        var frame = HeadFrameSearch.Find(scan);
        Assert.Equal(HeadFrameKind.Head, frame.Kind);
        var r = frame.Region(128, 128);
        foreach (var hu in scan)
            for (var i = 0; i < hu.Pixels.Length; i++)
            {
                if (hu.Pixels[i] <= HeadFrameSearch.TissueHu + 100) continue; // clear tissue, not noise at the threshold
                double x = i % 128 + 0.5, y = i / 128 + 0.5;
                Assert.True(x >= r.Left && x <= r.Left + r.Width && y >= r.Top && y <= r.Top + r.Height, $"tissue at ({x}, {y}) outside {frame}");
            }
    }

    /// <summary>
    /// A phantom scan and a copy of it seen through a 30 % larger field, off centre (the head 23 % smaller in pixels and
    /// moved, as a 300-350 mm reconstruction gives): the framed network inputs nearly agree; the field inputs do not.
    /// </summary>
    [Fact]
    public void FramedInput_OfAShiftedSmallerCopy_NearlyEqualsTheOriginal()
    {
        var original = Scan(PhantomStyle.Standard, 2);
        var copy = original.Select(hu => new HuImage(128, 128,
            Resample.Region(hu.Pixels, 128, 128, new FrameRegion(-30, -12, 166.4, 166.4), 128, 128, NetworkInput.OutsideHu))).ToArray();
        HeadFrame fo = HeadFrameSearch.Find(original), fc = HeadFrameSearch.Find(copy);
        Assert.InRange(fc.Side / fo.Side, 1 / 1.3 - 0.04, 1 / 1.3 + 0.04);
        double framed = 0, field = 0;
        for (var k = 0; k < original.Length; k++)
        {
            framed += MeanAbs(NetworkInput.FromHu(original[k], 64, fo), NetworkInput.FromHu(copy[k], 64, fc));
            field += MeanAbs(NetworkInput.FromHu(original[k], 64), NetworkInput.FromHu(copy[k], 64));
        }
        framed /= original.Length;
        field /= original.Length;
        Assert.True(framed < 0.03, $"framed inputs differ by {framed:0.0000}");
        Assert.True(framed < field / 4, $"framed {framed:0.0000} vs field {field:0.0000}");
    }

    private static double MeanAbs(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
}
