namespace Ich.Core.Scans;

/// <summary>
/// Which slices make up each slice's thick slab, for reading a thin series as thick slices: radiologists read head CT for
/// bleeds on slices of about 5 mm, and a thin slice carries the noise of its thinness (σ grows as 1/√thickness; a
/// 0.625 mm slice has √8 ≈ 2.8 times the noise of a 5 mm one). Slice i's slab is every slice lying wholly inside the
/// <c>slabMm</c> band centred on it: |z<sub>j</sub> − z<sub>i</sub>| ≤ (slabMm − thickness) / 2. A series already at
/// least that thick, or one whose slices have no positions, is read as it is.
/// </summary>
public static class SlabPlan
{
    /// <summary>Thinnest and thickest slab a model may ask for, mm.</summary>
    public const double MinSlabMm = 2, MaxSlabMm = 10;

    /// <summary>
    /// Most slices one slab averages (each side of a slice, at most half of them): 10 mm of 0.3 mm slices. Slice positions
    /// come from the input, and a series with implausibly close slices must not make every slice the mean of hundreds.
    /// </summary>
    public const int MaxMembers = 33;

    /// <summary>Tolerance on slice positions, mm (positions are written with a few decimals).</summary>
    private const double ToleranceMm = 1e-3;

    /// <summary>
    /// For each slice of <paramref name="scan"/>, the indices (ascending) of the slices whose mean is its slab; null when
    /// no slice would take a neighbour (no slab asked for, the series is thick enough, or positions or thickness are unknown).
    /// </summary>
    public static int[][]? Members(ScanRecord scan, double? slabMm)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (slabMm is not { } slab) return null;
        if (slab is < MinSlabMm or > MaxSlabMm || double.IsNaN(slab))
            throw new ArgumentOutOfRangeException(nameof(slabMm), slab, $"a slab must be {MinSlabMm}–{MaxSlabMm} mm");
        var n = scan.Slices.Count;
        if (n < 2 || scan.Slices.Any(s => !double.IsFinite(s.ZMm))) return null;
        var thickness = scan.SliceThicknessMm is > 0 and var t ? t : MedianSpacing(scan);
        if (!(thickness > 0) || thickness >= slab) return null;
        var half = (slab - thickness) / 2 + ToleranceMm;
        var members = new int[n][];
        var any = false;
        for (var i = 0; i < n; i++)
        {
            // Slices are ordered along the normal, so the slab is a contiguous run around i.
            int lo = i, hi = i;
            while (lo > 0 && i - lo < MaxMembers / 2 && Math.Abs(scan.Slices[lo - 1].ZMm - scan.Slices[i].ZMm) <= half) lo--;
            while (hi < n - 1 && hi - i < MaxMembers / 2 && Math.Abs(scan.Slices[hi + 1].ZMm - scan.Slices[i].ZMm) <= half) hi++;
            members[i] = Enumerable.Range(lo, hi - lo + 1).ToArray();
            any |= hi > lo;
        }
        return any ? members : null;
    }

    private static double MedianSpacing(ScanRecord scan)
    {
        var gaps = Enumerable.Range(1, scan.Slices.Count - 1).Select(i => Math.Abs(scan.Slices[i].ZMm - scan.Slices[i - 1].ZMm)).Order().ToArray();
        return gaps[gaps.Length / 2];
    }
}
