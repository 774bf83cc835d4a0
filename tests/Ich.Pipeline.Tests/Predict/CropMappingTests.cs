using Ich.Imaging;
using Ich.Inference.Pipeline;
using Ich.Model.Cnn;

namespace Ich.Pipeline.Tests.Predict;

public class CropMappingTests
{
    [Fact]
    public void ToSliceGrid_NoCropSameSize_IsIdentity()
    {
        float[] map = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(map, CropMapping.ToSliceGrid(map, 3, 1.0, 3, 3, HeadFrame.Field));
    }

    [Fact]
    public void ToSliceGrid_HalfCrop_PutsTheMapInTheCentreAndZerosOutside()
    {
        // A 2×2 map over the central half of a 4×4 slice: pixel centres 1 and 2 fall on map centres 0 and 1.
        float[] map = [1, 2, 3, 4];
        var grid = CropMapping.ToSliceGrid(map, 2, 0.5, 4, 4, HeadFrame.Field);
        float[] expected =
        [
            0, 0, 0, 0,
            0, 1, 2, 0,
            0, 3, 4, 0,
            0, 0, 0, 0,
        ];
        Assert.Equal(expected, grid);
    }

    /// <summary>
    /// Round trip through a head frame: a blob at a known slice position goes to the network grid as every mask does
    /// (<see cref="NetworkInput.MaskFromFrame"/>), through the evaluation centre crop (<see cref="CnnInputs.CenterCrop"/>),
    /// and back with <see cref="CropMapping.ToSliceGrid"/>: it lands where it was. The frame is off centre and reaches
    /// past the slice's edge, so a mapping that ignored it would put the blob tens of pixels away.
    /// </summary>
    [Theory]
    [InlineData(0.8)]
    [InlineData(1.0)]
    public void ToSliceGrid_ThroughAHeadFrameAndTheCrop_PutsABlobBackWhereItWas(double crop)
    {
        const int width = 160, height = 120, size = 64;
        var blob = new float[width * height];
        for (var y = 40; y < 52; y++)
            for (var x = 100; x < 112; x++) blob[y * width + x] = 1;
        var frame = new HeadFrame(HeadFrameKind.Head, width, height, 100, 55, 120);
        var onNetwork = NetworkInput.MaskFromFrame(blob, width, height, size, frame);
        float[] cropped;
        using (var scope = TorchSharp.torch.NewDisposeScope())
            cropped = CnnInputs.CenterCrop(TorchSharp.torch.tensor(onNetwork, [1, 1, size, size]), crop).contiguous().data<float>().ToArray();
        var back = CropMapping.ToSliceGrid(cropped, size, crop, width, height, frame);

        var (cx, cy) = Centroid(back, width);
        Assert.Equal(105.5, cx, 0.6);
        Assert.Equal(45.5, cy, 0.6);
        var peak = Array.IndexOf(back, back.Max());
        Assert.InRange(peak % width, 100, 111);
        Assert.InRange(peak / width, 40, 51);
        Assert.True(back.Max() > 0.8f);
        // Without the frame the same map lands elsewhere.
        var (fx, fy) = Centroid(CropMapping.ToSliceGrid(cropped, size, crop, width, height, HeadFrame.Field), width);
        Assert.True(Math.Abs(fx - cx) + Math.Abs(fy - cy) > 10);
    }

    private static (double X, double Y) Centroid(float[] map, int width)
    {
        double sx = 0, sy = 0, total = 0;
        for (var i = 0; i < map.Length; i++) { sx += map[i] * (i % width); sy += map[i] * (i / width); total += map[i]; }
        return (sx / total, sy / total);
    }
}
