using System.Globalization;
using System.Numerics;
using Ich.Dicom.Writing;
using Ich.Synth.Anatomy;
using Ich.Synth.Bleeds;

namespace Ich.Synth;

/// <summary>
/// Draws the plan of scan <c>index</c> from (seed, index, style) alone: head anatomy and pose, slice geometry,
/// encoding, artifacts and hemorrhages. About half of the scans bleed; a bleeding scan has one to three
/// subtypes, each with a size from a few millimetres to large. Every style-dependent range comes from
/// <see cref="PhantomStyleRanges"/>; draws keep their original order, so Standard plans are unchanged.
/// </summary>
public static class ScanPlanner
{
    /// <summary>Fraction of scans given at least one bleed.</summary>
    public const double BleedingScanFraction = 0.5;

    private static readonly string[] Manufacturers = ["GE MEDICAL SYSTEMS", "SIEMENS", "TOSHIBA", "Philips", "CANON"];
    // Brain (soft-tissue) reconstruction kernels, sharper to softer; never bone/lung names, which series
    // selection rightly skips (the phantom is always the brain series).
    private static readonly string[][] Kernels = [["STANDARD", "H45s", "FC26"], ["STANDARD", "H40s", "FC21"], ["SOFT", "H31s", "FC20"]];
    // Relative frequency of each subtype (HemorrhageClasses order without "any") among bleeding scans.
    private static readonly double[] SubtypeWeights = [0.18, 0.22, 0.20, 0.22, 0.18];

    public static ScanPlan Plan(SynthOptions options, int index)
    {
        var seed = options.Seed;
        var style = options.Style;
        var ranges = options.Ranges;
        var rng = PhantomStyles.Stream(style, seed, index, 1);
        var anatomy = new HeadAnatomy(PhantomStyles.Stream(style, seed, index, 2), ranges);
        var bleedNoise = new GradientNoise(PhantomStyles.Stream(style, seed, index, 3));

        var scale = ranges.HeadScale.Draw(rng);
        var (yaw, pitch, roll) = (ranges.InPlaneRotationDeg.Draw(rng), ranges.PitchDeg.Draw(rng), ranges.RollDeg.Draw(rng));
        var rotation = Matrix4x4.CreateRotationZ(Deg(yaw)) * Matrix4x4.CreateRotationX(Deg(pitch)) * Matrix4x4.CreateRotationY(Deg(roll));
        var worldToHead = Matrix4x4.Transpose(rotation);
        var (shiftX, shiftY) = (ranges.ShiftXMm.Draw(rng), ranges.ShiftYMm.Draw(rng));
        var translation = new Vector3(shiftX, shiftY, 0);

        var thickness = options.ThicknessMm ?? SynthOptions.Thicknesses[rng.Pick(SynthOptions.MixedWeights.ToArray())];
        var tiltDrawn = rng.Chance(ranges.TiltChance) ? ranges.TiltDeg.Draw(rng) : (float?)null;
        var tilt = tiltDrawn is { } t ? Math.Round(t, 1) : 0;
        var fov = ranges.FovMm.Draw(rng);
        var bottom = rng.Uniform(-62, -46) * scale;
        var top = (anatomy.VertexZ + rng.Uniform(0, 6)) * scale;
        var count = (int)Math.Ceiling((top - bottom) / thickness);
        var sliceZ = Enumerable.Range(0, count).Select(k => Math.Round(bottom + (k + 0.5) * thickness, 4)).ToArray();

        var encoding = (PixelEncodingKind)rng.Pick([0.3, 0.3, 0.25, 0.15]);
        var implicitVr = rng.Chance(0.4);
        var kernel = rng.Pick([0.2, 0.55, 0.25]);
        var baseNoise = ranges.NoiseHu.Draw(rng);
        var noise = baseNoise * (kernel == 0 ? 1.3f : 1f);
        var motion = rng.Chance(ranges.MotionChance) ? MotionRange(rng, count) : (0, 0);
        var vendor = rng.Int(Manufacturers.Length);
        var date = new DateTime(2019, 1, 1).AddDays(rng.Int(6 * 365)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var names = Enumerable.Range(0, count).Select(_ => $"ID_{rng.NextULong() & 0xFFFFFFFFFF:x10}.dcm").ToArray();
        var id = PhantomStyles.IdPrefix(style);
        var sops = Enumerable.Range(0, count).Select(k => DicomUids.FromSeed(seed, $"{id}scan/{index}/slice/{k}/sop")).ToArray();

        var gravity = Vector3.Normalize(Vector3.Transform(Vector3.UnitY, worldToHead)); // supine: blood settles posteriorly
        var bleeds = new List<Bleed>();
        var bleedRng = PhantomStyles.Stream(style, seed, index, 4);
        if (bleedRng.Chance(BleedingScanFraction))
        {
            var n = 1 + bleedRng.Pick([0.6, 0.28, 0.12]);
            var chosen = new HashSet<Subtype>();
            while (chosen.Count < n) chosen.Add((Subtype)bleedRng.Pick(SubtypeWeights));
            foreach (var subtype in chosen.Order())
                bleeds.AddRange(MakeBleeds(subtype, bleedRng, anatomy, bleedNoise, gravity));
        }

        // Drawn after everything the generator drew before styles existed: the stream's earlier values stay as they were.
        var streak = ranges.StreakStrength.Draw(rng);
        // A stream of its own: Standard's other streams must not move.
        var grain = ranges.NoiseGrainPasses.DrawInt(PhantomStyles.Stream(style, seed, index, 5));
        var values = new Dictionary<string, double>(anatomy.StyleValues)
        {
            [nameof(PhantomStyleRanges.HeadScale)] = scale,
            [nameof(PhantomStyleRanges.InPlaneRotationDeg)] = yaw,
            [nameof(PhantomStyleRanges.PitchDeg)] = pitch,
            [nameof(PhantomStyleRanges.RollDeg)] = roll,
            [nameof(PhantomStyleRanges.ShiftXMm)] = shiftX,
            [nameof(PhantomStyleRanges.ShiftYMm)] = shiftY,
            [nameof(PhantomStyleRanges.FovMm)] = fov,
            [nameof(PhantomStyleRanges.NoiseHu)] = baseNoise,
            [nameof(PhantomStyleRanges.NoiseGrainPasses)] = grain,
            [nameof(PhantomStyleRanges.StreakStrength)] = streak,
        };
        if (tiltDrawn is { } drawnTilt) values[nameof(PhantomStyleRanges.TiltDeg)] = drawnTilt;

        return new ScanPlan
        {
            Index = index,
            Seed = seed,
            Style = style,
            ShiftGroups = options.ShiftGroups,
            LabelRule = options.Labels,
            ScanId = PhantomGenerator.ScanIdFor(options, index),
            PatientId = $"PH{id}{seed}-{index:D5}",
            StudyUid = DicomUids.FromSeed(seed, $"{id}scan/{index}/study"),
            SeriesUid = DicomUids.FromSeed(seed, $"{id}scan/{index}/series"),
            FrameOfReferenceUid = DicomUids.FromSeed(seed, $"{id}scan/{index}/frame"),
            Anatomy = anatomy,
            Bleeds = bleeds,
            Size = options.Size,
            PixelSpacingMm = Math.Round(fov / options.Size, 6),
            ThicknessMm = thickness,
            TiltDegrees = tilt,
            SliceZ = sliceZ,
            WorldToHead = worldToHead,
            Translation = translation,
            Scale = scale,
            Encoding = encoding,
            ImplicitVr = implicitVr,
            NoiseHu = noise,
            KernelBlurPasses = kernel == 0 ? 0 : kernel,
            StreakStrength = streak,
            NoiseGrainPasses = grain,
            StyleValues = values,
            MotionSlices = motion,
            Manufacturer = Manufacturers[vendor],
            KernelName = Kernels[kernel][vendor % 3],
            StudyDate = date,
            FileNames = names,
            SopUids = sops,
        };
    }

    private static (int, int) MotionRange(SynthRandom rng, int count)
    {
        var length = 2 + rng.Int(5);
        var start = rng.Int(Math.Max(1, count - length));
        return (start, Math.Min(count, start + length));
    }

    private static float Deg(float degrees) => degrees * MathF.PI / 180;

    private static float LogUniform(SynthRandom rng, double min, double max) =>
        (float)Math.Exp(Math.Log(min) + rng.NextDouble() * (Math.Log(max) - Math.Log(min)));

    private static float BloodHu(SynthRandom rng) => rng.Chance(0.15) ? rng.Uniform(44, 54) : rng.Uniform(54, 88);

    private static IEnumerable<Bleed> MakeBleeds(Subtype subtype, SynthRandom rng, HeadAnatomy anatomy, GradientNoise noise, Vector3 gravity)
    {
        switch (subtype)
        {
            case Subtype.Epidural:
            {
                var u = Vector3.Normalize(new Vector3(Side(rng) * rng.Uniform(0.5, 1), rng.Uniform(-0.7, 0.7), rng.Uniform(-0.35, 0.6)));
                var h = LogUniform(rng, 3, 28);
                yield return new ConvexityBleed(subtype, noise, BloodHu(rng), u, SurfacePoint(anatomy, u), h,
                    rng.Uniform(0.22, 0.32) + h / 90, rng.Uniform(-30, -20), rng.Uniform(50, 60));
                break;
            }
            case Subtype.Subdural:
            {
                var kind = rng.Pick([0.72, 0.18, 0.10]);
                var bilateral = kind == 0 && rng.Chance(0.15);
                var side = Side(rng);
                for (var i = 0; i < (bilateral ? 2 : 1); i++, side = -side)
                {
                    var h = LogUniform(rng, 1.5, 18);
                    if (kind == 0)
                    {
                        var u = Vector3.Normalize(new Vector3(side * rng.Uniform(0.55, 1), rng.Uniform(-0.6, 0.6), rng.Uniform(-0.2, 0.8)));
                        yield return new ConvexityBleed(subtype, noise, BloodHu(rng), u, SurfacePoint(anatomy, u), h,
                            rng.Uniform(0.5, 1.1), 0, 0);
                    }
                    else if (kind == 1)
                        yield return new DuralSurfaceBleed(noise, BloodHu(rng), anatomy, false, MathF.Min(h, 5), side,
                            new Vector3(0, rng.Uniform(-40, 50), rng.Uniform(10, 40)), new Vector3(8, rng.Uniform(12, 40), rng.Uniform(8, 22)));
                    else
                        yield return new DuralSurfaceBleed(noise, BloodHu(rng), anatomy, true, MathF.Min(h, 5), side,
                            anatomy.PosteriorFossaCenter + new Vector3(side * 20, 0, 18), new Vector3(22, rng.Uniform(15, 30), 14));
                }
                break;
            }
            case Subtype.Intraparenchymal:
            {
                var where = rng.Pick([0.45, 0.4, 0.15]);
                var side = Side(rng);
                Vector3 c;
                if (where == 0)
                {
                    var nucleus = rng.Chance(0.6) ? anatomy.LentiformCenter : anatomy.ThalamusCenter;
                    c = new Vector3(side * nucleus.X, nucleus.Y, nucleus.Z) + Jitter(rng, 5);
                }
                else if (where == 1)
                {
                    var u = Vector3.Normalize(new Vector3(side * rng.Uniform(0.2, 1), rng.Uniform(-0.8, 0.8), rng.Uniform(-0.1, 0.8)));
                    c = SurfacePoint(anatomy, u) - u * rng.Uniform(12, 30);
                }
                else c = anatomy.PosteriorFossaCenter + new Vector3(side * rng.Uniform(5, 22), rng.Uniform(-8, 5), rng.Uniform(-6, 6));
                var r = LogUniform(rng, 2, where == 2 ? 14 : 26);
                var axes = new Vector3(r * rng.Uniform(0.7, 1.3), r * rng.Uniform(0.7, 1.4), r * rng.Uniform(0.7, 1.2));
                yield return new ParenchymalBleed(noise, BloodHu(rng), c, axes, rng.Uniform(0.3, 0.8),
                    rng.Uniform(0.1, 0.6), rng.Uniform(5, 14), Jitter(rng, 100));
                break;
            }
            case Subtype.Intraventricular:
            {
                var which = rng.Pick([0.55, 0.2, 0.15, 0.1]);
                var lateral = (1 << 1) | (1 << 2);
                var mask = which switch { 0 => lateral, 1 => 1 << (rng.Chance(0.5) ? 1 : 2), 2 => lateral | (1 << 3), _ => 1 << 4 };
                var cast = rng.Chance(0.15);
                var atrium = anatomy.AtriumCenter;
                var level = Vector3.Dot(atrium, gravity) + rng.Uniform(-4, 9);
                if (which == 3) level = Vector3.Dot(anatomy.PosteriorFossaCenter, gravity) - rng.Uniform(8, 14);
                yield return new VentricularBleed(noise, rng.Uniform(42, 78), mask, gravity, level, cast);
                break;
            }
            case Subtype.Subarachnoid:
            {
                if (rng.Chance(0.5))
                    yield return new SubarachnoidBleed(noise, rng.Uniform(48, 80), anatomy.SuprasellarCenter + Jitter(rng, 8),
                        rng.Uniform(14, 45), Jitter(rng, 100));
                else
                {
                    var u = Vector3.Normalize(new Vector3(Side(rng) * rng.Uniform(0.2, 1), rng.Uniform(-0.8, 0.8), rng.Uniform(-0.1, 0.9)));
                    yield return new SubarachnoidBleed(noise, rng.Uniform(48, 80), SurfacePoint(anatomy, u) - u * 6,
                        LogUniform(rng, 8, 35), Jitter(rng, 100));
                }
                break;
            }
        }
    }

    private static float Side(SynthRandom rng) => rng.Chance(0.5) ? 1 : -1;

    private static Vector3 Jitter(SynthRandom rng, double r) => new(rng.Uniform(-r, r), rng.Uniform(-r, r), rng.Uniform(-r, r));

    /// <summary>The point where a ray from the head centre along <paramref name="u"/> meets the inner table.</summary>
    private static Vector3 SurfacePoint(HeadAnatomy anatomy, Vector3 u)
    {
        for (float r = 20; r < 140; r += 0.5f)
            if (anatomy.CavityDistance(u * r) >= 0) return u * (r - 0.25f);
        return u * 70;
    }
}
