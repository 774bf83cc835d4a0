using System.Text.Json;
using Ich.Imaging;
using Ich.TestKit;

namespace Ich.Imaging.Tests;

public class ResampleTests
{
    [Fact]
    public void Bilinear_AgainstPillowReference_MatchesWithinFloatTolerance()
    {
        // Reference: tools/data/make_fixtures.py (Pillow Image.resize BILINEAR on float images).
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Fixtures, "data", "resample_pil.json")));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases.Count >= 6);
        foreach (var c in cases)
        {
            int w = c.GetProperty("width").GetInt32(), h = c.GetProperty("height").GetInt32();
            int ow = c.GetProperty("outWidth").GetInt32(), oh = c.GetProperty("outHeight").GetInt32();
            var src = c.GetProperty("src").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var expected = c.GetProperty("expected").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var actual = Resample.Bilinear(src, w, h, ow, oh);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) < 0.01,
                    $"{w}x{h}→{ow}x{oh} pixel {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Bilinear_HalvingBy2_IsTriangleFilterOfFourTaps()
    {
        // 4 → 2 in one dimension: output 0 is centred at input coordinate 1.0; the triangle kernel is
        // widened to half-width 2, so pixel centres 0.5, 1.5, 2.5 (distances 0.5, 0.5, 1.5) get weights
        // 0.75, 0.75, 0.25, normalised by 1.75. Output 1 (centre 3.0) mirrors it.
        float[] row = [0, 10, 20, 30];
        var actual = Resample.Bilinear(row, 4, 1, 2, 1);
        Assert.Equal((0.75f * 0 + 0.75f * 10 + 0.25f * 20) / 1.75f, actual[0], 4);
        Assert.Equal((0.25f * 10 + 0.75f * 20 + 0.75f * 30) / 1.75f, actual[1], 4);
    }

    [Fact]
    public void Bilinear_ConstantImage_StaysConstant()
    {
        var src = Enumerable.Repeat(37.5f, 650 * 650).ToArray();
        var dst = Resample.Bilinear(src, 650, 650, 256, 256);
        Assert.All(dst, v => Assert.Equal(37.5f, v, 3));
    }

    [Fact]
    public void Bilinear_Checkerboard_IsAntiAliasedToItsMean()
    {
        // A one-pixel checkerboard (−1000/1000) shrunk 4× must average out, not alias into stripes.
        var src = new float[64 * 64];
        for (var y = 0; y < 64; y++)
        for (var x = 0; x < 64; x++) src[y * 64 + x] = (x + y) % 2 == 0 ? 1000 : -1000;
        var dst = Resample.Bilinear(src, 64, 64, 16, 16);
        Assert.All(dst, v => Assert.InRange(v, -60f, 60f));
    }

    [Fact]
    public void Bilinear_SameSize_ReturnsCopy()
    {
        float[] src = [1, 2, 3, 4];
        var dst = Resample.Bilinear(src, 2, 2, 2, 2);
        Assert.Equal(src, dst);
        Assert.NotSame(src, dst);
    }

    [Fact]
    public void Bilinear_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Resample.Bilinear(new float[5], 2, 2, 4, 4));
    }
}
