using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Synth.Insertion;

/// <summary>
/// Inserts one synthetic hemorrhage into a real negative HU slice, with the anatomy found from the HU
/// (<see cref="HostAnatomy"/>): epidural lens and subdural crescent against the inner table, subarachnoid blood
/// in CSF near the brain surface (sulci, cisterns), intraventricular blood layering in deep CSF (ventricles),
/// intraparenchymal clot in parenchyma with a hypodense edema rim. Blood gets a mean density per subtype, a
/// smooth clot texture, a one-pixel partial-volume rim and white noise at the host's own level
/// (<see cref="HostNoise"/>). Every draw comes from the <see cref="SynthRandom"/> passed in, so a seed fixes the
/// result. Mass effect is not modelled: pixels outside the mask, its rim and the edema stay the host's.
/// </summary>
public static class BleedInserter
{
    /// <summary>Subtypes that can be inserted, as class indices (1 epidural … 5 subdural).</summary>
    public static readonly IReadOnlyList<int> Subtypes = [1, 2, 3, 4, 5];

    /// <summary>Inserts a bleed of class <paramref name="classIndex"/>; <see cref="InsertionHostException"/> when the host cannot take it.</summary>
    public static InsertedBleed Insert(HuImage host, int classIndex, SynthRandom rng, InsertionRanges? ranges = null, string? name = null,
        double? assumedSpacingMm = null)
    {
        if (classIndex is < 1 or > 5) throw new ConfigException($"class index {classIndex} is not a hemorrhage subtype (1–5)");
        return Insert(HostAnatomy.Find(host, name, assumedSpacingMm), classIndex, rng, ranges, name);
    }

    /// <summary>As above, into a host whose anatomy is already found (one search serves several attempts).</summary>
    public static InsertedBleed Insert(HostAnatomy anatomy, int classIndex, SynthRandom rng, InsertionRanges? ranges = null, string? name = null)
    {
        ranges ??= new InsertionRanges();
        if (classIndex is < 1 or > 5) throw new ConfigException($"class index {classIndex} is not a hemorrhage subtype (1–5)");
        var noise = HostNoise.Estimate(anatomy)
            ?? throw new InsertionHostException("too little brain parenchyma (15–50 HU) to estimate the slice's noise", name);
        var minPixels = (int)Math.Ceiling(ranges.MinAreaMm2 / (anatomy.SpacingMm * anatomy.SpacingMm));
        for (var attempt = 0; attempt < ranges.MaxAttempts; attempt++)
        {
            var shape = classIndex switch
            {
                1 => BleedShapes.ExtraAxial(anatomy, rng, ranges.EpiduralHalfLengthMm, ranges.EpiduralThicknessMm, lens: true),
                5 => BleedShapes.ExtraAxial(anatomy, rng, ranges.SubduralHalfLengthMm, ranges.SubduralThicknessMm, lens: false),
                4 => BleedShapes.Subarachnoid(anatomy, rng, ranges),
                3 => BleedShapes.Intraventricular(anatomy, rng, ranges),
                _ => BleedShapes.Intraparenchymal(anatomy, rng, ranges),
            };
            if (shape is null || shape.Count(m => m) < minPixels) continue;
            var meanHu = (classIndex switch
            {
                1 => ranges.EpiduralHu, 5 => ranges.SubduralHu, 4 => ranges.SubarachnoidHu, 3 => ranges.IntraventricularHu, _ => ranges.IntraparenchymalHu,
            }).Draw(rng);
            return Render(anatomy, shape, classIndex, meanHu, noise, rng, ranges);
        }
        throw new InsertionHostException(
            $"no place for a {HemorrhageClasses.Names[classIndex]} bleed of ≥ {ranges.MinAreaMm2} mm² after {ranges.MaxAttempts} attempts", name);
    }

    private static InsertedBleed Render(HostAnatomy a, bool[] shape, int classIndex, double meanHu, double noiseHu, SynthRandom rng, InsertionRanges ranges)
    {
        int w = a.Width, h = a.Height;
        var host = a.Image.Pixels;
        var output = (float[])host.Clone();
        var effects = new InsertionEffect[host.Length];
        var mask = new byte[host.Length];
        var texture = new GradientNoise(rng);
        var textureHu = ranges.TextureHu.Draw(rng);
        var z = (float)(rng.NextDouble() * 200);
        var featureMm = 6.0;
        float Blood(int i)
        {
            var t = texture.Sample((float)(i % w * a.SpacingMm / featureMm), (float)(i / w * a.SpacingMm / featureMm), z);
            var clean = Math.Clamp(meanHu + textureHu * t, ranges.BloodHu.Min, ranges.BloodHu.Max);
            return (float)(clean + noiseHu * rng.Normal());
        }

        // Edema first (intraparenchymal only), so blood and its rim overwrite it.
        if (classIndex == 2) Edema(a, shape, output, effects, rng, ranges);
        double sum = 0;
        var count = 0;
        for (var i = 0; i < host.Length; i++)
        {
            if (!shape[i]) continue;
            output[i] = Blood(i);
            mask[i] = 1;
            effects[i] = InsertionEffect.Blood;
            sum += output[i];
            count++;
        }
        // Partial volume: each intracranial pixel next to the mask mixes in blood by the share of its 3×3
        // neighbourhood that is blood (at most 8/9); bone keeps its value (the table is not averaged away).
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var i = y * w + x;
                if (shape[i] || !a.Intracranial[i]) continue;
                var n = 0;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx, yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < w && yy < h && shape[yy * w + xx]) n++;
                    }
                if (n == 0) continue;
                var alpha = n / 9f;
                output[i] = (1 - alpha) * output[i] + alpha * Blood(i);
                effects[i] = InsertionEffect.PartialVolume;
            }
        var labels = new float[HemorrhageClasses.Count];
        labels[0] = 1;
        labels[classIndex] = 1;
        return new InsertedBleed(new HuImage(w, h, output, a.SpacingMm), mask, labels, classIndex, effects, noiseHu, sum / count);
    }

    /// <summary>Brain pixels (not CSF) within the rim width of the clot lose a few HU, fading linearly outwards.</summary>
    private static void Edema(HostAnatomy a, bool[] shape, float[] output, InsertionEffect[] effects, SynthRandom rng, InsertionRanges ranges)
    {
        var widthMm = ranges.EdemaWidthMm.Draw(rng);
        var drop = ranges.EdemaDropHu.Draw(rng);
        var distance = BleedShapes.DistanceFrom(shape, a.Width, a.Height, a.SpacingMm, widthMm);
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] || distance[i] > widthMm || !a.IsBrain(i) || a.IsCsf(i)) continue;
            output[i] -= (float)(drop * (1 - distance[i] / widthMm));
            effects[i] = InsertionEffect.Edema;
        }
    }
}
