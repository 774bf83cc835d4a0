using System.IO.Compression;
using Ich.Imaging;

namespace Ich.Viewer.Tests;

public class PlaneCodecTests
{
    [Fact]
    public void EncodeHu_Decoded_GivesClippedHuAndBoneWindowByHand()
    {
        // HU row chosen by hand; expected fine = clamp(hu, −20, 235) + 20 and
        // bone = round-half-up((hu + 800) · 255 / 2800) clipped to 0..255.
        float[] hu = [-1000, -21, -20, 0, 40, 235, 300, 600, 2000, 3000, 39.6f, -800];
        byte[] fine = [0, 0, 0, 20, 60, 255, 255, 255, 255, 255, 60, 0];
        // (40+800)·255/2800 = 76.5 → 77; 600 → 127.5 → 128; 2000 → 255; 235 → 94.26 → 94; 300 → 100.18 → 100;
        // 0 → 72.86 → 73; −20 → 71.04 → 71; −21 → 70.95 → 71; 39.6 rounds to 40 HU first → 77.
        byte[] bone = [0, 71, 71, 73, 77, 94, 100, 128, 255, 255, 77, 0];
        var width = hu.Length;
        var planes = Inflate(PlaneCodec.EncodeHu(hu, width, 1), width);
        Assert.Equal(fine, planes[..width]);
        Assert.Equal(bone, planes[width..]);
    }

    [Theory]
    [InlineData(8, 26)]    // brain 40/80: 8·255/80 = 25.5 → half up 26
    [InlineData(0, 0)]
    [InlineData(80, 255)]
    [InlineData(79, 252)]  // 251.81 → 252
    [InlineData(-5, 0)]
    public void WindowByte_Brain_MatchesHandValues(int hu, int expected) =>
        Assert.Equal(expected, PlaneCodec.WindowByte(hu, HuWindow.Brain));

    [Fact]
    public void EncodeSaliency_SmallMap_KeepsEveryPixelAsRoundedLevel()
    {
        // A 3×2 map is under the 128 px grid, so factor 1: 0 → 0, 1 → 255, 0.5 → 127.5 → 128, 0.25 → 63.75 → 64.
        float[] values = [0f, 1f, 0.5f, 0.25f, 0.999f, 0.001f];
        Assert.Equal(1, PlaneCodec.SaliencyFactor(3, 2));
        Assert.Equal(new byte[] { 0, 255, 128, 64, 255, 0 }, Inflate(PlaneCodec.EncodeSaliency(values, 3, 2), 3));
    }

    [Fact]
    public void EncodeSaliency_512_IsA128GridOfBoxMeans()
    {
        Assert.Equal(4, PlaneCodec.SaliencyFactor(512, 512));
        Assert.Equal(2, PlaneCodec.SaliencyFactor(256, 200));
        // Top-left 4×4 box: eight pixels at 1 and eight at 0 → mean 0.5 → 128; box (1, 0): one pixel at 0.51 → 0.031875·255 = 8.13 → 8.
        var map = new float[512 * 512];
        for (var y = 0; y < 4; y++) for (var x = 0; x < 2; x++) map[y * 512 + x] = 1f;
        map[2 * 512 + 5] = 0.51f;
        var grid = Inflate(PlaneCodec.EncodeSaliency(map, 512, 512), 128);
        Assert.Equal(128 * 128, grid.Length);
        Assert.Equal(128, grid[0]);
        Assert.Equal(8, grid[1]);
        Assert.Equal(0, grid.Skip(2).Max());
    }

    [Fact]
    public void EncodeMask_RoundTrip_GivesTheRegionAboveTwoTenths_PackedMsbFirstPerRow()
    {
        // 10×2 (not a multiple of 8 wide: each row is padded to 2 bytes). Drawn exactly where p > 0.2, by hand:
        float[] mask =
        [
            0f, 0.2f, 0.21f, 1f, 0.5f, 0f, 0f, 0f, 0.9f, 0.2f,
            1f, 0f,   0f,    0f, 0f,   0f, 0f, 0f, 0f,   0.3f,
        ];
        bool[] drawn =
        [
            false, false, true, true, true, false, false, false, true, false,
            true,  false, false, false, false, false, false, false, false, true,
        ];
        Assert.Equal(2, PlaneCodec.MaskStride(10));
        var bits = InflateRaw(PlaneCodec.EncodeMask(mask, 10, 2));
        // Row 0: 0011 1000 | 10.. ....; row 1: 1000 0000 | 01.. ....
        Assert.Equal(new byte[] { 0b0011_1000, 0b1000_0000, 0b1000_0000, 0b0100_0000 }, bits);
        Assert.Equal(drawn, Unpack(bits, 10, 2));
    }

    [Fact]
    public void EncodeMask_512Blob_RoundTripsExactly_InUnderAKilobyte()
    {
        // A soft disc (probability falling with the distance from the centre) on a faint background of 0.05.
        const int size = 512;
        var mask = new float[size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var d = Math.Sqrt((x - 300.0) * (x - 300.0) + (y - 200.0) * (y - 200.0));
                mask[y * size + x] = (float)Math.Max(0.05, 1 - d / 60);
            }
        var encoded = PlaneCodec.EncodeMask(mask, size, size);
        var decoded = Unpack(InflateRaw(encoded), size, size);
        Assert.Equal(mask.Select(v => v > 0.2f), decoded);
        Assert.InRange(decoded.Count(b => b), 7000, 8500); // π·48² ≈ 7238 pixels inside the 0.2 contour
        Assert.True(encoded.Length < 1024, $"{encoded.Length} bytes");
    }

    [Fact]
    public void EncodeMask_WrongLength_IsRefused() =>
        Assert.Throws<ArgumentException>(() => PlaneCodec.EncodeMask(new float[5], 2, 2));

    // Independent unpacking: bit 7 of byte ⌊x/8⌋ of the row is pixel x mod 8 = 0.
    private static bool[] Unpack(byte[] bits, int width, int height)
    {
        var stride = (width + 7) / 8;
        var result = new bool[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                result[y * width + x] = ((bits[y * stride + x / 8] >> (7 - x % 8)) & 1) == 1;
        return result;
    }

    private static byte[] InflateRaw(byte[] compressed)
    {
        using var input = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    // Independent decoder: zlib inflate, then undo the per-row delta.
    private static byte[] Inflate(byte[] compressed, int width)
    {
        using var input = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        var bytes = output.ToArray();
        for (var row = 0; row < bytes.Length; row += width)
            for (var x = 1; x < width; x++) bytes[row + x] = (byte)(bytes[row + x] + bytes[row + x - 1]);
        return bytes;
    }
}
