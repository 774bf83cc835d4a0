using Ich.Core.Scans;
using Ich.Imaging;

namespace Ich.Training.Cnn;

/// <summary>The resolution at which bleeds are inserted into or pasted onto a training slice.</summary>
public static class InsertionResolution
{
    /// <summary>
    /// The slice at twice the network size over the part the network sees (when larger), with its pixel spacing scaled to
    /// match: the result is resized to the network grid anyway, and the anatomy search costs ~4× less than on a 512–650 px
    /// slice. The part seen is the whole slice, or the scan's head frame: a frame smaller than the slice keeps
    /// proportionally more pixels, so a bleed drawn at this resolution is as sharp in the framed input as in a field one.
    /// </summary>
    public static HuImage Working(HuImage hu, int networkSize, double assumedSpacingMm, HeadFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var spacing = hu.PixelSpacingMm ?? assumedSpacingMm;
        var longest = Math.Max(hu.Width, hu.Height);
        var region = frame.Region(hu.Width, hu.Height);
        var seen = Math.Max(region.Width, region.Height);
        var target = frame.IsFullField ? 2 * networkSize : (int)Math.Ceiling(2 * networkSize * longest / seen);
        if (longest <= target) return new HuImage(hu.Width, hu.Height, hu.Pixels, spacing);
        var f = (double)target / longest;
        int w = Math.Max(8, (int)Math.Round(hu.Width * f)), h = Math.Max(8, (int)Math.Round(hu.Height * f));
        return new HuImage(w, h, Resample.Bilinear(hu.Pixels, hu.Width, hu.Height, w, h), spacing * longest / target);
    }
}
