using Ich.Core.Scans;

namespace Ich.Imaging.Tests;

/// <summary>
/// Analytic head slices for the frame tests: an ellipse head (scalp, 5 mm skull, brain, a ventricle and a bright blob
/// off centre) drawn at any field of view and position, with an optional table, 2 × 2 supersampled.
/// </summary>
internal static class HeadPhantoms
{
    /// <summary>A table under the head: a straight slab <paramref name="thicknessMm"/> thick whose top is <paramref name="gapMm"/> below the head.</summary>
    internal sealed record Table(double GapMm, double ThicknessMm, float Hu = 100);

    /// <summary>
    /// One slice of <paramref name="size"/>² px over a field of <paramref name="fovMm"/>; the head's centre sits
    /// (<paramref name="dxMm"/>, <paramref name="dyMm"/>) from the field's centre, <paramref name="scale"/> × the
    /// default head (semi-axes 70 × 90 mm), the head absent when <paramref name="scale"/> is 0.
    /// </summary>
    internal static HuImage Slice(int size, double fovMm, double dxMm = 0, double dyMm = 0, double scale = 1, Table? table = null)
    {
        var spacing = fovMm / size;
        var pixels = new float[size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                double sum = 0;
                for (var sy = 0; sy < 2; sy++)
                    for (var sx = 0; sx < 2; sx++)
                    {
                        var mx = (x + 0.25 + 0.5 * sx) * spacing - fovMm / 2 - dxMm;
                        var my = (y + 0.25 + 0.5 * sy) * spacing - fovMm / 2 - dyMm;
                        sum += At(mx, my, scale, table);
                    }
                pixels[y * size + x] = (float)(sum / 4);
            }
        return new HuImage(size, size, pixels, spacing);
    }

    /// <summary>HU at (mx, my) mm from the head's centre (y grows towards the table, as rows do).</summary>
    private static double At(double mx, double my, double scale, Table? table)
    {
        if (table is not null)
        {
            // Below the head; on a slice without head, where it would be under the default head.
            var top = 90 * (scale > 0 ? scale : 1) + table.GapMm;
            if (my >= top && my < top + table.ThicknessMm && Math.Abs(mx) < 160) return table.Hu;
        }
        if (scale <= 0) return -1000;
        var r = Math.Sqrt(mx * mx / (70 * 70 * scale * scale) + my * my / (90 * 90 * scale * scale));
        if (r > 1) return -1000;
        if (r > 1 - 3.0 / (80 * scale)) return 20;        // scalp, ~3 mm
        if (r > 1 - 8.0 / (80 * scale)) return 1200;      // skull, ~5 mm
        if (Hypot(mx - 25 * scale, my + 20 * scale) < 10 * scale) return 70;  // a bleed-like blob
        if (Hypot(mx, my) < 12 * scale) return 5;         // ventricle
        return 35;                                        // brain
    }

    private static double Hypot(double a, double b) => Math.Sqrt(a * a + b * b);
}
