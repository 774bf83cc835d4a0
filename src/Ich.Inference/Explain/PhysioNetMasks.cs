using Ich.Core.Scans;
using Ich.Data.PhysioNet;

namespace Ich.Inference.Explain;

/// <summary>
/// The real hemorrhage masks of PhysioNet CT-ICH: <c>&lt;slice&gt;_HGE_Seg.png</c> beside the brain-window JPG a slice
/// was read from (255 = blood, aligned pixel for pixel with the JPG). They mark the blood of every subtype together,
/// so they stand for the class <c>any</c> only.
/// </summary>
public static class PhysioNetMasks
{
    public const string Suffix = "_HGE_Seg.png";

    /// <summary>The mask file of a slice read from a PhysioNet brain JPG, or null when there is none.</summary>
    public static string? PathFor(SliceRecord slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        if (slice.SourcePath is not { } source || !source.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)) return null;
        var png = source[..^4] + Suffix;
        return File.Exists(png) ? png : null;
    }

    /// <summary>The mask as row-major booleans at the file's own size (gray ≥ 128 = blood).</summary>
    public static (bool[] Mask, int Width, int Height) Read(string path)
    {
        var (pixels, width, height) = GrayJpeg.Decode(path);
        return (pixels.Select(p => p >= 128).ToArray(), width, height);
    }
}
