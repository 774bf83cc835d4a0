using System.Numerics;
using Ich.Synth.Anatomy;

namespace Ich.Synth.Rendering;

/// <summary>One rendered slab: HU pixels (null on the label-only path) and a mask byte per pixel (bit = <see cref="Bleeds.Subtype"/>).</summary>
public sealed record RenderedSlice(int Index, float[]? Hu, byte[] Mask, int[] MaskPixels, bool[] InsideFov);

/// <summary>
/// Samples the analytic head into one slab: each pixel averages a few sub-slices across the slice
/// thickness (partial volume); a pixel belongs to a subtype's mask when at least half of its
/// sub-samples are that subtype's blood. The label-only path evaluates the same function only where
/// bleeds can be (their boxes projected into the slice), so its masks are identical to a full render.
/// </summary>
public static class SliceRenderer
{
    /// <summary>Number of sub-slices averaged across a slab of the given thickness.</summary>
    public static int SubSlices(double thicknessMm) => thicknessMm >= 4 ? 3 : thicknessMm >= 2 ? 2 : 1;

    public static RenderedSlice Render(ScanPlan plan, int k, bool withPixels)
    {
        var n = plan.Size;
        var spacing = (float)plan.PixelSpacingMm;
        var (row, col, normal) = plan.Directions();
        var ipp = plan.ImagePosition(k);
        var origin = plan.ToHead(ipp);
        var du = plan.ToHead(ipp + row * spacing) - origin;
        var dv = plan.ToHead(ipp + col * spacing) - origin;
        var dn = plan.ToHead(ipp + normal) - origin;
        var subs = SubSlices(plan.ThicknessMm);
        var offsets = new Vector3[subs];
        for (var m = 0; m < subs; m++) offsets[m] = dn * (float)(((m + 0.5) / subs - 0.5) * plan.ThicknessMm);

        var hu = withPixels ? new float[n * n] : null;
        var mask = new byte[n * n];
        var inside = FovMask(n);
        var (r0, r1, c0, c1) = withPixels ? (0, n, 0, n) : BleedWindow(plan, k, ipp, row, col, normal, spacing);
        var bleeds = plan.Bleeds;
        var anatomy = plan.Anatomy;
        Span<int> counts = stackalloc int[5];
        var sample = new AnatomySample();
        for (var i = r0; i < r1; i++)
        {
            for (var j = c0; j < c1; j++)
            {
                var idx = i * n + j;
                if (!inside[idx]) { if (hu is not null) hu[idx] = -1000; continue; }
                var basePoint = origin + du * j + dv * i;
                float sum = 0;
                counts.Clear();
                var anyBlood = false;
                for (var m = 0; m < subs; m++)
                {
                    var p = basePoint + offsets[m];
                    if (!anatomy.MayBeHead(p)) { sum -= 1000; continue; }
                    // Full render: every bleed whose box holds p is applied (IPH edema needs it). Label-only:
                    // the anatomy is sampled only where a bleed's conservative pre-test passes. Apply can be
                    // true only where MayContain is, so both paths give the same mask bits.
                    var candidates = 0;
                    for (var b = 0; b < bleeds.Count; b++)
                        if (hu is not null ? bleeds[b].InBox(p) : bleeds[b].MayContain(p, anatomy)) candidates |= 1 << b;
                    if (hu is null && candidates == 0) continue;
                    anatomy.Sample(p, ref sample);
                    var value = sample.Hu;
                    for (var b = 0; candidates != 0; b++, candidates >>= 1)
                    {
                        if ((candidates & 1) == 0) continue;
                        var bleed = bleeds[b];
                        if (bleed.Apply(p, sample, ref value)) { counts[(int)bleed.Subtype]++; anyBlood = true; }
                    }
                    sum += value;
                }
                if (hu is not null) hu[idx] = sum / subs;
                if (!anyBlood) continue;
                byte bits = 0;
                for (var t = 0; t < 5; t++) if (counts[t] * 2 >= subs && counts[t] > 0) bits |= (byte)(1 << t);
                mask[idx] = bits;
            }
        }
        return new RenderedSlice(k, hu, mask, CountPixels(mask), inside);
    }

    /// <summary>Mask pixels per subtype (bit t of a mask byte = subtype t).</summary>
    public static int[] CountPixels(byte[] mask)
    {
        var pixels = new int[5];
        foreach (var bits in mask)
            if (bits != 0) for (var t = 0; t < 5; t++) pixels[t] += (bits >> t) & 1;
        return pixels;
    }

    /// <summary>Pixels inside the reconstruction circle (the scanner's field of view).</summary>
    public static bool[] FovMask(int n) => FovCache.GetOrAdd(n, ComputeFov);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool[]> FovCache = new();

    private static bool[] ComputeFov(int n)
    {
        var inside = new bool[n * n];
        var c = (n - 1) / 2.0;
        var r2 = (n / 2.0) * (n / 2.0);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                inside[i * n + j] = (i - c) * (i - c) + (j - c) * (j - c) <= r2;
        return inside;
    }

    /// <summary>Pixel rectangle [r0, r1) × [c0, c1) covering every bleed box that meets this slab.</summary>
    private static (int, int, int, int) BleedWindow(ScanPlan plan, int k, Vector3 ipp, Vector3 row, Vector3 col, Vector3 normal, float spacing)
    {
        var n = plan.Size;
        int r0 = n, r1 = 0, c0 = n, c1 = 0;
        Matrix4x4.Invert(plan.WorldToHead, out var headToWorld);
        var halfSlab = plan.ThicknessMm / 2 + 0.5;
        foreach (var bleed in plan.Bleeds)
        {
            double minI = double.MaxValue, maxI = double.MinValue, minJ = double.MaxValue, maxJ = double.MinValue;
            double minN = double.MaxValue, maxN = double.MinValue;
            for (var corner = 0; corner < 8; corner++)
            {
                var h = new Vector3((corner & 1) == 0 ? bleed.BoxMin.X : bleed.BoxMax.X,
                                    (corner & 2) == 0 ? bleed.BoxMin.Y : bleed.BoxMax.Y,
                                    (corner & 4) == 0 ? bleed.BoxMin.Z : bleed.BoxMax.Z);
                var w = Vector3.Transform(h * plan.Scale, headToWorld) + plan.Translation - ipp;
                var j = Vector3.Dot(w, row) / spacing;
                var i = Vector3.Dot(w, col) / spacing;
                var z = Vector3.Dot(w, normal);
                minI = Math.Min(minI, i); maxI = Math.Max(maxI, i);
                minJ = Math.Min(minJ, j); maxJ = Math.Max(maxJ, j);
                minN = Math.Min(minN, z); maxN = Math.Max(maxN, z);
            }
            if (maxN < -halfSlab || minN > halfSlab) continue;
            r0 = Math.Min(r0, Math.Max(0, (int)Math.Floor(minI) - 1));
            r1 = Math.Max(r1, Math.Min(n, (int)Math.Ceiling(maxI) + 2));
            c0 = Math.Min(c0, Math.Max(0, (int)Math.Floor(minJ) - 1));
            c1 = Math.Max(c1, Math.Min(n, (int)Math.Ceiling(maxJ) + 2));
        }
        return r0 >= r1 || c0 >= c1 ? (0, 0, 0, 0) : (r0, r1, c0, c1);
    }
}
