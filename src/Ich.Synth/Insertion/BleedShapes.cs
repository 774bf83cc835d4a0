namespace Ich.Synth.Insertion;

/// <summary>
/// Where each subtype's blood goes in a host slice, as a boolean mask (row-major), or null when a random
/// draw found no valid place (the caller draws again). Placement follows the anatomy rules of
/// <see cref="BleedInserter"/>; all lengths in mm through the host's pixel spacing.
/// </summary>
internal static class BleedShapes
{
    /// <summary>
    /// Epidural lens (<paramref name="lens"/>: thickness T·(1 − u²)) or subdural crescent (T·√(1 − u²), longer and
    /// thinner by its ranges) against the inner table: u = distance along the table from a random contact point,
    /// over the half-length; pixels no deeper than the profile (±10 % border irregularity) are blood.
    /// </summary>
    public static bool[]? ExtraAxial(HostAnatomy a, SynthRandom rng, Range halfLength, Range thickness, bool lens)
    {
        var contact = PickInnerTable(a, rng);
        if (contact < 0) return null;
        var halfLen = halfLength.Draw(rng);
        var thick = Math.Min(thickness.Draw(rng), 0.35 * a.MaxDepthMm);
        var border = new GradientNoise(rng);
        int cx = contact % a.Width, cy = contact / a.Width;
        var mask = new bool[a.Intracranial.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            if (!a.Intracranial[i]) continue;
            var t = a.NearestTable[i];
            if (t < 0) continue;
            var s = Math.Sqrt(Sq(t % a.Width - cx) + Sq(t / a.Width - cy)) * a.SpacingMm;
            if (s > halfLen) continue;
            var u = s / halfLen;
            var profile = lens ? 1 - u * u : Math.Sqrt(1 - u * u);
            var wobble = 1 + 0.1 * border.Sample((float)(i % a.Width * a.SpacingMm / 8), (float)(i / a.Width * a.SpacingMm / 8), 0.5f);
            if (a.DistanceMm[i] <= thick * profile * wobble) mask[i] = true;
        }
        return mask;
    }

    /// <summary>Subarachnoid: CSF-density pixels no deeper than the maximal depth below the inner table, within a radius of a random such pixel.</summary>
    public static bool[]? Subarachnoid(HostAnatomy a, SynthRandom rng, InsertionRanges r)
    {
        var candidates = Enumerable.Range(0, a.Intracranial.Length)
            .Where(i => a.IsCsf(i) && a.DistanceMm[i] <= r.SubarachnoidMaxDepthMm).ToArray();
        if (candidates.Length == 0) return null;
        var centre = candidates[rng.Int(candidates.Length)];
        var radius = r.SubarachnoidRadiusMm.Draw(rng);
        int cx = centre % a.Width, cy = centre / a.Width;
        var mask = new bool[a.Intracranial.Length];
        foreach (var i in candidates)
            if (Math.Sqrt(Sq(i % a.Width - cx) + Sq(i / a.Width - cy)) * a.SpacingMm <= radius) mask[i] = true;
        return mask;
    }

    /// <summary>
    /// Intraventricular: a connected region (4-neighbour) of deep CSF — at least the ventricle depth and 40 % of
    /// the slice's maximal depth below the inner table — chosen with probability ∝ area, filled from its
    /// dependent (posterior, larger row) side by a random fraction of its extent.
    /// </summary>
    public static bool[]? Intraventricular(HostAnatomy a, SynthRandom rng, InsertionRanges r)
    {
        var minDepth = Math.Max(r.VentricleMinDepthMm, 0.4 * a.MaxDepthMm);
        var deep = new bool[a.Intracranial.Length];
        for (var i = 0; i < deep.Length; i++) deep[i] = a.IsCsf(i) && a.DistanceMm[i] >= minDepth;
        var minPixels = r.MinAreaMm2 / (a.SpacingMm * a.SpacingMm);
        var regions = Components(deep, a.Width, a.Height).Where(c => c.Count >= minPixels).ToList();
        if (regions.Count == 0) return null;
        var weights = regions.Select(c => (double)c.Count).ToArray();
        var region = regions[rng.Pick(weights)];
        int top = region.Min(i => i / a.Width), bottom = region.Max(i => i / a.Width);
        var fill = r.VentricleFillFraction.Draw(rng);
        var cut = bottom - fill * (bottom - top);
        var mask = new bool[deep.Length];
        foreach (var i in region) if (i / a.Width >= cut) mask[i] = true;
        return mask;
    }

    /// <summary>Largest share of an intraparenchymal clot allowed on CSF-density or non-brain pixels.</summary>
    public const double MaxNonParenchymaShare = 0.08;

    /// <summary>Intraparenchymal: an irregular ellipse centred in parenchyma (brain, not CSF) deep enough to hold it, almost all of it on parenchyma.</summary>
    public static bool[]? Intraparenchymal(HostAnatomy a, SynthRandom rng, InsertionRanges r)
    {
        var ra = r.IntraparenchymalRadiusMm.Draw(rng);
        var rb = r.IntraparenchymalRadiusMm.Draw(rng);
        var reach = Math.Max(ra, rb);
        var candidates = Enumerable.Range(0, a.Intracranial.Length)
            .Where(i => a.IsBrain(i) && !a.IsCsf(i) && a.DistanceMm[i] >= reach + 5).ToArray();
        if (candidates.Length == 0) return null;
        var centre = candidates[rng.Int(candidates.Length)];
        var angle = rng.NextDouble() * Math.PI;
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var border = new GradientNoise(rng);
        int cx = centre % a.Width, cy = centre / a.Width;
        var mask = new bool[a.Intracranial.Length];
        for (var i = 0; i < mask.Length; i++)
        {
            if (!a.Intracranial[i]) continue;
            double dx = (i % a.Width - cx) * a.SpacingMm, dy = (i / a.Width - cy) * a.SpacingMm;
            if (Math.Abs(dx) > reach * 1.3 || Math.Abs(dy) > reach * 1.3) continue;
            double u = (c * dx + s * dy) / ra, v = (-s * dx + c * dy) / rb;
            var rho = Math.Sqrt(u * u + v * v) + 0.15 * border.Sample((float)(dx / 5), (float)(dy / 5), 0.5f);
            if (rho <= 1) mask[i] = true;
        }
        // A clot over a ventricle or a wide sulcus would be intraventricular or subarachnoid blood as well: redraw.
        var inMask = 0;
        var csf = 0;
        for (var i = 0; i < mask.Length; i++)
            if (mask[i]) { inMask++; if (!a.IsBrain(i) || a.IsCsf(i)) csf++; }
        return csf > MaxNonParenchymaShare * inMask ? null : mask;
    }

    /// <summary>Euclidean distance (mm) from every pixel to the nearest mask pixel, exact up to <paramref name="maxMm"/>; beyond it +∞.</summary>
    public static float[] DistanceFrom(bool[] mask, int w, int h, double spacing, double maxMm)
    {
        var dist = new float[mask.Length];
        Array.Fill(dist, float.PositiveInfinity);
        var seedOf = new int[mask.Length];
        var queue = new PriorityQueue<int, float>();
        for (var i = 0; i < mask.Length; i++)
            if (mask[i]) { dist[i] = 0; seedOf[i] = i; queue.Enqueue(i, 0); }
        var maxPx = (float)(maxMm / spacing) + 1.5f;
        while (queue.TryDequeue(out var i, out var d))
        {
            if (d > dist[i]) continue;
            int x = i % w, y = i / w, seed = seedOf[i], sx = seed % w, sy = seed / w;
            for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int xx = x + dx, yy = y + dy;
                    if ((dx == 0 && dy == 0) || xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                    var j = yy * w + xx;
                    var nd = MathF.Sqrt(Sq(xx - sx) + Sq(yy - sy));
                    if (nd >= dist[j] || nd > maxPx) continue;
                    dist[j] = nd;
                    seedOf[j] = seed;
                    queue.Enqueue(j, nd);
                }
        }
        for (var i = 0; i < dist.Length; i++) dist[i] = (float)(dist[i] * spacing);
        return dist;
    }

    /// <summary>A random intracranial pixel touching the inner table, mapped to its table pixel; −1 when none.</summary>
    private static int PickInnerTable(HostAnatomy a, SynthRandom rng)
    {
        var rim = Enumerable.Range(0, a.Intracranial.Length)
            .Where(i => a.Intracranial[i] && a.DistanceMm[i] <= 1.5 * a.SpacingMm && a.NearestTable[i] >= 0).ToArray();
        return rim.Length == 0 ? -1 : a.NearestTable[rim[rng.Int(rim.Length)]];
    }

    private static List<List<int>> Components(bool[] on, int w, int h)
    {
        var seen = new bool[on.Length];
        var result = new List<List<int>>();
        var stack = new Stack<int>();
        for (var start = 0; start < on.Length; start++)
        {
            if (!on[start] || seen[start]) continue;
            var comp = new List<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                comp.Add(i);
                int x = i % w, y = i / w;
                foreach (var j in new[] { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1 })
                    if (j >= 0 && on[j] && !seen[j]) { seen[j] = true; stack.Push(j); }
            }
            result.Add(comp);
        }
        return result;
    }

    private static float Sq(float v) => v * v;
    private static double Sq(double v) => v * v;
    private static float Sq(int v) => v * v;
}
