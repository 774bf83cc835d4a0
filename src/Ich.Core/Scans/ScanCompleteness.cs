using System.Globalization;

namespace Ich.Core.Scans;

/// <summary>
/// When a scan with unreadable slices (<see cref="ScanRecord.MissingSlices"/>) can still be triaged. The rule: it can,
/// unless more than <see cref="MaxMissingFraction"/> of the series' slices are missing or a missing slice leaves a hole
/// wider than <see cref="MaxGapMm"/> between the readable slices around it. Past that, a bleed of a few centimetres
/// could sit entirely in what is missing, so the scan is failed with the reason rather than called negative.
/// </summary>
public static class ScanCompleteness
{
    /// <summary>Largest share of the series' slices that may be missing (20 %).</summary>
    public const double MaxMissingFraction = 0.20;

    /// <summary>Widest hole, along the slice normal between the readable slices around missing ones, in mm.</summary>
    public const double MaxGapMm = 15.0;

    /// <summary>Why the scan cannot be trusted, or null when it can (including when nothing is missing).</summary>
    public static string? Problem(ScanRecord scan)
    {
        var missing = scan.MissingSlices;
        if (missing.Count == 0) return null;
        var total = missing.Count + scan.Slices.Count;
        if (scan.Slices.Count == 0) return $"all {total} slices have unreadable pixel data ({missing[0].Reason})";
        if (missing.Count > MaxMissingFraction * total)
            return $"{missing.Count} of {total} slices have unreadable pixel data, more than {MaxMissingFraction:P0}; {Listing(missing)}";
        var widest = WidestHoleMm(scan);
        return widest > MaxGapMm
            ? $"unreadable slices leave a {widest.ToString("0.0", CultureInfo.InvariantCulture)} mm hole (more than {MaxGapMm:0} mm); {Listing(missing)}"
            : null;
    }

    /// <summary>The note a result carries when slices were left out, or null when none were.</summary>
    public static string? Note(ScanRecord scan) =>
        scan.MissingSlices.Count == 0
            ? null
            : $"{scan.MissingSlices.Count} of {scan.MissingSlices.Count + scan.Slices.Count} slices unreadable and left out ({Listing(scan.MissingSlices)})";

    /// <summary>The widest distance between the readable slices that enclose a missing one (0 when none is enclosed).</summary>
    public static double WidestHoleMm(ScanRecord scan)
    {
        var z = scan.Slices.Select(s => s.ZMm).Where(v => !double.IsNaN(v)).Order().ToArray();
        var widest = 0.0;
        foreach (var m in scan.MissingSlices.Where(m => !double.IsNaN(m.ZMm)))
        {
            var above = Array.BinarySearch(z, m.ZMm);
            if (above >= 0) continue; // a readable slice at the same place
            above = ~above;
            if (above == 0 || above == z.Length) continue; // beyond the ends: coverage shrinks, no hole
            widest = Math.Max(widest, z[above] - z[above - 1]);
        }
        return widest;
    }

    private static string Listing(IReadOnlyList<MissingSlice> missing) =>
        "files: " + string.Join(", ", missing.Select(m => System.IO.Path.GetFileName(m.SourcePath) ?? m.SliceId)) +
        "; z (mm): " + string.Join(", ", missing.Select(m => double.IsNaN(m.ZMm) ? "?" : m.ZMm.ToString("0.0", CultureInfo.InvariantCulture)));
}
