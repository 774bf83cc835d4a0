using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Synth.Insertion;

/// <summary>
/// Cut-and-paste of a real masked bleed (e.g. PhysioNet's <c>_HGE_Seg.png</c> on its slice) into another real
/// negative slice at an anatomically plausible place. The donor's blood is classed by where it lies in its own
/// head: touching the inner table (≤ <see cref="TableContactMm"/>, extra-axial: epidural/subdural-like) or not
/// (intra-axial). A placement maps the donor head onto the host head (intracranial centroids aligned, scaled by
/// the ratio of the heads' equivalent radii, rotated by a random angle, optionally mirrored left-right) and is
/// accepted when the pasted blood lands inside the host's skull (extra-axial blood clipped to it when at most
/// <see cref="MaxClippedShare"/> overhangs) and the class keeps its relation to the table:
/// extra-axial blood still touches the host's inner table, intra-axial blood fits whole, lies at least
/// <see cref="MinBrainShare"/> on host brain and nowhere within the contact distance of the table. Pasted pixels take the donor's HU (its own texture and noise) at the mapped place;
/// a one-pixel partial-volume rim mixes host and blood as in <see cref="BleedInserter"/>. Labels are the donor's.
/// </summary>
public static class BleedPaste
{
    public const double TableContactMm = 2.0;
    /// <summary>Random placements tried before the host is declared unable to take the donor's bleed.</summary>
    public const int MaxAttempts = 60;
    /// <summary>Largest share of an extra-axial donor bleed that may be clipped off by the host's skull.</summary>
    public const double MaxClippedShare = 0.3;
    /// <summary>Smallest share of intra-axial blood that must land on host brain (0–80 HU); the rest may cover CSF (a sulcus, a ventricle edge).</summary>
    public const double MinBrainShare = 0.9;

    /// <param name="donor">The donor slice in HU.</param>
    /// <param name="donorMask">Its blood mask (row-major, non-zero = blood), same size.</param>
    /// <param name="donorLabels">The donor slice's six labels (any first).</param>
    /// <param name="host">A negative host slice in HU.</param>
    /// <param name="rng">All random draws.</param>
    /// <param name="assumedSpacingMm">Spacing for images without one (PhysioNet JPG export: 0.35 mm).</param>
    public static InsertedBleed Paste(HuImage donor, byte[] donorMask, float[] donorLabels, HuImage host, SynthRandom rng,
        double? assumedSpacingMm = null, string? name = null)
    {
        if (donorMask.Length != donor.Pixels.Length) throw new ConfigException($"donor mask has {donorMask.Length} pixels, the donor slice {donor.Pixels.Length}");
        return Paste(HostAnatomy.Find(donor, name, assumedSpacingMm), donorMask, donorLabels, HostAnatomy.Find(host, name, assumedSpacingMm), rng, name);
    }

    /// <summary>As above, with both anatomies already found (training pastes many bleeds from the same donors).</summary>
    public static InsertedBleed Paste(HostAnatomy d, byte[] donorMask, float[] donorLabels, HostAnatomy h, SynthRandom rng, string? name = null)
    {
        if (donorMask.Length != d.Image.Pixels.Length) throw new ConfigException($"donor mask has {donorMask.Length} pixels, the donor slice {d.Image.Pixels.Length}");
        if (donorLabels.Length != HemorrhageClasses.Count || donorLabels[0] < 0.5f) throw new ConfigException("donor labels must be six values with any = 1");
        var blood = Enumerable.Range(0, donorMask.Length).Where(i => donorMask[i] != 0).ToArray();
        if (blood.Length == 0) throw new InsertionHostException("the donor mask is empty", name);
        var donor = d.Image;
        var extraAxial = blood.Any(i => d.DistanceMm[i] <= TableContactMm);
        var (dcx, dcy, dRadius) = Centroid(d);
        var (hcx, hcy, hRadius) = Centroid(h);
        var scale = hRadius / dRadius; // host mm per donor mm
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var angle = (rng.NextDouble() * 2 - 1) * Math.PI;
            var mirror = rng.Chance(0.5);
            double c = Math.Cos(angle), s = Math.Sin(angle);
            // Host pixel → donor pixel (inverse map), in mm about the centroids.
            (double X, double Y) ToDonor(int hx, int hy)
            {
                double x = (hx - hcx) * h.SpacingMm / scale, y = (hy - hcy) * h.SpacingMm / scale;
                double rx = c * x + s * y, ry = -s * x + c * y;
                if (mirror) rx = -rx;
                return (dcx + rx / d.SpacingMm, dcy + ry / d.SpacingMm);
            }
            var mask = new bool[h.Image.Pixels.Length];
            var source = new int[h.Image.Pixels.Length];
            int mapped = 0, outside = 0;
            for (var i = 0; i < mask.Length; i++)
            {
                var (x, y) = ToDonor(i % h.Width, i / h.Width);
                int dx = (int)Math.Round(x), dy = (int)Math.Round(y);
                if (dx < 0 || dy < 0 || dx >= d.Width || dy >= d.Height || donorMask[dy * d.Width + dx] == 0) continue;
                mapped++;
                if (!h.Intracranial[i]) { outside++; continue; }
                mask[i] = true;
                source[i] = dy * d.Width + dx;
            }
            // Heads differ in shape, so blood hugging one inner table overhangs the other's a little: extra-axial blood
            // is clipped to the host's skull when at most MaxClippedShare of it falls outside; intra-axial blood must fit whole.
            if (mapped == 0 || outside > (extraAxial ? MaxClippedShare * mapped : 0)) continue;
            var pasted = Enumerable.Range(0, mask.Length).Where(i => mask[i]).ToArray();
            var ok = extraAxial
                ? pasted.Any(i => h.DistanceMm[i] <= TableContactMm)
                : pasted.All(i => h.DistanceMm[i] > TableContactMm) && pasted.Count(h.IsBrain) >= MinBrainShare * pasted.Length;
            if (!ok) continue;
            return Render(h, mask, source, donor, donorLabels);
        }
        throw new InsertionHostException($"no plausible place for the donor's {(extraAxial ? "extra-axial" : "intra-axial")} bleed after {MaxAttempts} attempts", name);
    }

    private static InsertedBleed Render(HostAnatomy h, bool[] mask, int[] source, HuImage donor, float[] labels)
    {
        int w = h.Width, ht = h.Height;
        var output = (float[])h.Image.Pixels.Clone();
        var effects = new InsertionEffect[output.Length];
        var bytes = new byte[output.Length];
        double sum = 0;
        var count = 0;
        for (var i = 0; i < mask.Length; i++)
        {
            if (!mask[i]) continue;
            output[i] = donor.Pixels[source[i]];
            bytes[i] = 1;
            effects[i] = InsertionEffect.Blood;
            sum += output[i];
            count++;
        }
        for (var y = 0; y < ht; y++)
            for (var x = 0; x < w; x++)
            {
                var i = y * w + x;
                if (mask[i] || !h.Intracranial[i]) continue;
                int n = 0;
                double blood = 0;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx, yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= ht || !mask[yy * w + xx]) continue;
                        n++;
                        blood += output[yy * w + xx];
                    }
                if (n == 0) continue;
                var alpha = n / 9f;
                output[i] = (float)((1 - alpha) * output[i] + alpha * blood / n);
                effects[i] = InsertionEffect.PartialVolume;
            }
        return new InsertedBleed(new HuImage(w, ht, output, h.SpacingMm), bytes, (float[])labels.Clone(), 0, effects,
            HostNoise.Estimate(h) ?? double.NaN, sum / count);
    }

    /// <summary>Intracranial centroid (pixels) and equivalent radius √(area/π) in mm.</summary>
    private static (double X, double Y, double RadiusMm) Centroid(HostAnatomy a)
    {
        double sx = 0, sy = 0;
        var n = 0;
        for (var i = 0; i < a.Intracranial.Length; i++)
            if (a.Intracranial[i]) { sx += i % a.Width; sy += i / a.Width; n++; }
        return (sx / n, sy / n, Math.Sqrt(n / Math.PI) * a.SpacingMm);
    }
}
