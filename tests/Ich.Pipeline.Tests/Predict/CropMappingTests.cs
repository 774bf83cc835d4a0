using Ich.Imaging;
using Ich.Inference.Pipeline;

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
}
