using Ich.Core.Scans;

namespace Ich.Imaging.Tests;

public class HeadFrameTests
{
    /// <summary>A scan of five slices: the head shrinking towards the vertex (scales 0.8 … 1 … 0.5).</summary>
    private static HuImage[] Scan(int size, double fovMm, double dx = 0, double dy = 0, double scale = 1, HeadPhantoms.Table? table = null) =>
        new[] { 0.8, 0.95, 1.0, 0.85, 0.5 }.Select(s => HeadPhantoms.Slice(size, fovMm, dx, dy, s * scale, table)).ToArray();

    private static FrameRegion HeadBox(HuImage hu)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = 0; y < hu.Height; y++)
            for (var x = 0; x < hu.Width; x++)
                if (hu[y, x] > HeadFrameSearch.TissueHu)
                    (x0, y0, x1, y1) = (Math.Min(x0, x), Math.Min(y0, y), Math.Max(x1, x), Math.Max(y1, y));
        return new FrameRegion(x0, y0, x1 + 1 - x0, y1 + 1 - y0);
    }

    [Fact]
    public void Find_EllipseHead_SquareContainsTheHeadOfEverySliceWithTheMargin()
    {
        var scan = Scan(256, 300, dx: 15, dy: -10);
        var frame = HeadFrameSearch.Find(scan);
        Assert.Equal(HeadFrameKind.Head, frame.Kind);
        var region = frame.Region(256, 256);
        Assert.Equal(region.Width, region.Height);
        foreach (var hu in scan)
        {
            var box = HeadBox(hu);
            Assert.True(region.Left <= box.Left && region.Top <= box.Top, $"{frame} misses the head's box {box}");
            Assert.True(region.Left + region.Width >= box.Left + box.Width && region.Top + region.Height >= box.Top + box.Height, $"{frame} misses {box}");
        }
        // The widest slice's long side (180 mm at 300/256 mm per px ≈ 153.6 px) × 1.06, to within one search block (2 px).
        Assert.InRange(frame.Side, 153.6 * 1.06 - 3, 153.6 * 1.06 + 5);
        Assert.InRange(frame.CenterX, 128 + 15 / (300.0 / 256) - 2, 128 + 15 / (300.0 / 256) + 2);
        Assert.InRange(frame.CenterY, 128 - 10 / (300.0 / 256) - 2, 128 - 10 / (300.0 / 256) + 2);
    }

    [Theory]
    [InlineData(12.0)] // a table clear of the head
    [InlineData(0.0)]  // a table the head rests on, touching along the scalp
    public void Find_TableUnderTheHead_IsLeftOut(double gapMm)
    {
        var plain = HeadFrameSearch.Find(Scan(256, 340));
        // The last slice is above the vertex: the table alone, which must not count either.
        var withTable = Scan(256, 340, table: new HeadPhantoms.Table(gapMm, 8)).Append(HeadPhantoms.Slice(256, 340, scale: 0, table: new HeadPhantoms.Table(gapMm, 8))).ToArray();
        var framed = HeadFrameSearch.Find(withTable);
        Assert.Equal(HeadFrameKind.Head, framed.Kind);
        // Where the head rests on it, the corners between scalp and table survive the opening: the frame may grow by up
        // to the table's thickness (8 mm = 6 px here) towards it, never by the table's width.
        Assert.InRange(framed.Side, plain.Side - 3, plain.Side + 8);
        Assert.InRange(framed.CenterX, plain.CenterX - 3, plain.CenterX + 3);
        Assert.InRange(framed.CenterY, plain.CenterY - 3, plain.CenterY + 6);
        // The table (300 mm wide) would make the frame far wider than the 180 mm head.
        Assert.True(framed.Side < 0.75 * 300 / (340.0 / 256), $"{framed}");
    }

    [Fact]
    public void Find_AllAir_FallsBackToTheFullFieldAndSaysSo()
    {
        var air = Enumerable.Range(0, 3).Select(_ => new HuImage(40, 30, Enumerable.Repeat(-1000f, 1200).ToArray())).ToArray();
        var frame = HeadFrame.For(InputFraming.Head, air);
        Assert.Equal(HeadFrameKind.NoTissue, frame.Kind);
        Assert.True(frame.IsFullField);
        Assert.Equal(new FrameRegion(0, 0, 40, 30), frame.Region(40, 30));
        var field = NetworkInput.FromHu(air[0], 16);
        Assert.Equal(field, NetworkInput.FromHu(air[0], 16, frame));
    }

    [Fact]
    public void For_FieldFraming_IsTheFieldFrameAndTheInputIsTheFieldInputBitForBit()
    {
        var scan = Scan(96, 250, dx: 10);
        var frame = HeadFrame.For(InputFraming.Field, scan);
        Assert.Same(HeadFrame.Field, frame);
        foreach (var hu in scan)
        {
            var field = NetworkInput.FromHu(hu, 64);
            var framed = NetworkInput.FromHu(hu, 64, frame);
            Assert.Equal(field.Select(BitConverter.SingleToInt32Bits), framed.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void Find_SlicesOfDifferentSizes_AreRefused()
    {
        var a = new HuImage(20, 20, new float[400]);
        var b = new HuImage(24, 20, new float[480]);
        Assert.Throws<Ich.Core.Errors.ModelInputException>(() => HeadFrameSearch.Find([a, b]));
    }

    /// <summary>
    /// The point of framing: the same head at a 250 mm field, centred, and at a 340 mm field, shifted, gives nearly the
    /// same framed input, while the field inputs differ (the head 26 % smaller and off centre).
    /// </summary>
    [Fact]
    public void FromHu_SameHeadAtAnotherFieldOfViewAndPlace_GivesNearlyTheSameFramedInput()
    {
        var near = Scan(256, 250);
        var far = Scan(256, 340, dx: 25, dy: -18);
        HeadFrame fNear = HeadFrameSearch.Find(near), fFar = HeadFrameSearch.Find(far);
        double framedDiff = 0, fieldDiff = 0;
        for (var k = 0; k < near.Length; k++)
        {
            framedDiff += MeanAbs(NetworkInput.FromHu(near[k], 64, fNear), NetworkInput.FromHu(far[k], 64, fFar));
            fieldDiff += MeanAbs(NetworkInput.FromHu(near[k], 64), NetworkInput.FromHu(far[k], 64));
        }
        framedDiff /= near.Length;
        fieldDiff /= near.Length;
        Assert.True(framedDiff < 0.02, $"framed inputs differ by {framedDiff:0.0000} on average");
        Assert.True(framedDiff < fieldDiff / 5, $"framed {framedDiff:0.0000} vs field {fieldDiff:0.0000}");
    }

    private static double MeanAbs(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    /// <summary>
    /// A mask and its image go through the same frame: with the image −800 HU + 1800 HU × mask, the bone channel
    /// ((HU + 800) / 2800, unclipped on that range) is the resampled mask × 1800/2800 everywhere, also where the frame
    /// reaches outside the slice (image air −1024 clips to 0, mask 0).
    /// </summary>
    [Fact]
    public void MaskFromFrame_IsAlignedWithTheFramedImage()
    {
        const int w = 120, h = 100, size = 48;
        var mask = new float[w * h];
        for (var y = 30; y < 52; y++)
            for (var x = 70; x < 86; x++) mask[y * w + x] = 1; // even bounds: the half-size copy below is exact
        var hu = new HuImage(w, h, mask.Select(m => -800 + 1800 * m).ToArray());
        var frame = new HeadFrame(HeadFrameKind.Head, w, h, 75, 40, 90); // reaches past the top edge
        var image = NetworkInput.FromHu(hu, size, frame);
        var onGrid = NetworkInput.MaskFromFrame(mask, w, h, size, frame);
        var plane = size * size;
        for (var i = 0; i < plane; i++) Assert.Equal(onGrid[i] * 1800f / 2800f, image[2 * plane + i], 4);
        Assert.True(onGrid.Count(v => v > 0.5f) > 20);
        // The same mask on a half-resolution grid (a mask file stored smaller) lands in the same place.
        var half = new float[w / 2 * (h / 2)];
        for (var y = 0; y < h / 2; y++)
            for (var x = 0; x < w / 2; x++) half[y * (w / 2) + x] = mask[2 * y * w + 2 * x];
        var halfOnGrid = NetworkInput.MaskFromFrame(half, w / 2, h / 2, size, frame);
        Assert.Equal(onGrid.Sum(), halfOnGrid.Sum(), onGrid.Sum() * 0.05);
        Assert.Equal(Centroid(onGrid, size).X, Centroid(halfOnGrid, size).X, 0.3);
        Assert.Equal(Centroid(onGrid, size).Y, Centroid(halfOnGrid, size).Y, 0.3);
    }

    private static (double X, double Y) Centroid(float[] map, int size)
    {
        double sx = 0, sy = 0, total = 0;
        for (var i = 0; i < map.Length; i++) { sx += map[i] * (i % size); sy += map[i] * (i / size); total += map[i]; }
        return (sx / total, sy / total);
    }

    [Fact]
    public void Region_ScaleOneIntegerOffset_IsAShiftedCopyWithTheOutsideValue()
    {
        var src = Enumerable.Range(0, 6 * 5).Select(i => (float)i).ToArray(); // 6 wide, 5 high
        var shifted = Resample.Region(src, 6, 5, new FrameRegion(2, -1, 6, 5), 6, 5, -7f);
        for (var y = 0; y < 5; y++)
            for (var x = 0; x < 6; x++)
            {
                int sx = x + 2, sy = y - 1;
                var expected = sx < 6 && sy >= 0 ? src[sy * 6 + sx] : -7f;
                Assert.Equal(expected, shifted[y * 6 + x], 4);
            }
    }

    [Fact]
    public void Region_OfAHeadFrame_ScalesWithTheGrid()
    {
        var frame = new HeadFrame(HeadFrameKind.Head, 512, 400, 250, 210, 300);
        Assert.Equal(new FrameRegion(100, 60, 300, 300), frame.Region(512, 400));
        Assert.Equal(new FrameRegion(50, 30, 150, 150), frame.Region(256, 200));
    }
}
