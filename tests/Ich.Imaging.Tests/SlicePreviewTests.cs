using Ich.Core.Scans;
using Ich.Imaging;
using Ich.TestKit;
using SkiaSharp;

namespace Ich.Imaging.Tests;

public class SlicePreviewTests
{
    [Fact]
    public void WriteWindow_RoundTripsGreyLevels()
    {
        var dir = RepoPaths.NewTempDir();
        try
        {
            // HU 0, 20, 40, 80 in the brain window → 0, 63.75, 127.5, 255 → rounded (to even) 0, 64, 128, 255.
            var hu = new HuImage(4, 1, [0f, 20f, 40f, 80f]);
            var path = Path.Combine(dir, "w.png");
            SlicePreview.WriteWindow(path, hu, HuWindow.Brain);
            using var bmp = SKBitmap.Decode(path);
            Assert.Equal(4, bmp.Width);
            Assert.Equal(new byte[] { 0, 64, 128, 255 }, Enumerable.Range(0, 4).Select(x => bmp.GetPixel(x, 0).Red).ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void WriteNetworkInputRgb_ChannelsBecomeRgb()
    {
        var dir = RepoPaths.NewTempDir();
        try
        {
            var chw = new float[3 * 8 * 8];
            for (var i = 0; i < 64; i++) { chw[i] = 1f; chw[64 + i] = 0.5f; chw[128 + i] = 0f; }
            var path = Path.Combine(dir, "rgb.png");
            SlicePreview.WriteNetworkInputRgb(path, chw, 8);
            using var bmp = SKBitmap.Decode(path);
            var p = bmp.GetPixel(3, 3);
            Assert.Equal((255, 128, 0), (p.Red, p.Green, p.Blue));
        }
        finally { Directory.Delete(dir, true); }
    }
}
