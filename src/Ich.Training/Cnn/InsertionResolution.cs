using Ich.Core.Scans;
using Ich.Imaging;

namespace Ich.Training.Cnn;

/// <summary>The resolution at which bleeds are inserted into or pasted onto a training slice.</summary>
public static class InsertionResolution
{
    /// <summary>
    /// The slice at twice the network size (when larger), with its pixel spacing scaled to match: the result is
    /// resized to the network grid anyway, and the anatomy search costs ~4× less than on a 512–650 px slice.
    /// </summary>
    public static HuImage Working(HuImage hu, int networkSize, double assumedSpacingMm)
    {
        var spacing = hu.PixelSpacingMm ?? assumedSpacingMm;
        var target = 2 * networkSize;
        var longest = Math.Max(hu.Width, hu.Height);
        if (longest <= target) return new HuImage(hu.Width, hu.Height, hu.Pixels, spacing);
        var f = (double)target / longest;
        int w = Math.Max(8, (int)Math.Round(hu.Width * f)), h = Math.Max(8, (int)Math.Round(hu.Height * f));
        return new HuImage(w, h, Resample.Bilinear(hu.Pixels, hu.Width, hu.Height, w, h), spacing * longest / target);
    }
}
