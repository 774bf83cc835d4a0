using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Synth;
using Ich.Synth.Insertion;

namespace Ich.Synth.Tests;

/// <summary>
/// Synthetic bleeds inserted into a negative head slice: the mask lies where the subtype belongs (judged on
/// the host's own HU and geometry, recomputed here independently of the inserter's anatomy code), blood HU
/// are in 40–90, host pixels away from the bleed are bit-identical, and a seed fixes the result.
/// </summary>
public class BleedInsertionTests
{
    private static readonly Lazy<HuImage> Host = new(() => NegativePhantomSlice(11));

    /// <summary>A bleed-free phantom slab at ventricle level (256 px, its real pixel spacing).</summary>
    internal static HuImage NegativePhantomSlice(ulong seed)
    {
        var options = new SynthOptions { Seed = seed, Size = 256, ThicknessMm = 5 };
        for (var i = 0; i < 50; i++)
        {
            var plan = ScanPlanner.Plan(options, i);
            if (plan.Bleeds.Count > 0) continue;
            // Among slabs with a wide closed skull (≥ 10,000 mm² inside bone), the one with the most central CSF is at ventricle level.
            var best = Enumerable.Range(0, plan.SliceCount)
                .Select(k => new HuImage(plan.Size, plan.Size, PhantomGenerator.RenderSlice(plan, k).Hu!, plan.PixelSpacingMm))
                .Where(img => Enclosed(img) * plan.PixelSpacingMm * plan.PixelSpacingMm >= 10_000)
                .MaxBy(img => CentralCsf(img.Pixels, plan.Size));
            if (best is not null) return best;
        }
        throw new InvalidOperationException("no bleed-free phantom in the first 50 scans");
    }

    /// <summary>Pixels not reachable from the border without crossing bone (≥ 300 HU), 4-neighbour flood fill.</summary>
    private static int Enclosed(HuImage img)
    {
        int w = img.Width, h = img.Height;
        var outside = new bool[w * h];
        var stack = new Stack<int>();
        for (var i = 0; i < w; i++) { stack.Push(i); stack.Push((h - 1) * w + i); stack.Push(i * w); stack.Push(i * w + w - 1); }
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            if (outside[i] || img.Pixels[i] >= 300) continue;
            outside[i] = true;
            int x = i % w, y = i / w;
            if (x > 0) stack.Push(i - 1);
            if (x < w - 1) stack.Push(i + 1);
            if (y > 0) stack.Push(i - w);
            if (y < h - 1) stack.Push(i + w);
        }
        return Enumerable.Range(0, w * h).Count(i => !outside[i] && img.Pixels[i] is < 300 and > -200);
    }

    private static int CentralCsf(float[] hu, int size)
    {
        var n = 0;
        for (var y = size * 3 / 8; y < size * 5 / 8; y++)
            for (var x = size * 3 / 8; x < size * 5 / 8; x++)
                if (hu[y * size + x] is >= 0 and <= 15) n++;
        return n;
    }

    public static TheoryData<int, ulong> Cases()
    {
        var data = new TheoryData<int, ulong>();
        foreach (var c in BleedInserter.Subtypes)
            foreach (var seed in new ulong[] { 1, 2, 3 }) data.Add(c, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Insert_PlacesSubtypeWhereItBelongs_InRange_HostUntouchedElsewhere(int classIndex, ulong seed) =>
        AssertPlacement(Host.Value, BleedInserter.Insert(Host.Value, classIndex, new SynthRandom(seed)), classIndex, Host.Value.PixelSpacingMm!.Value);

    /// <summary>
    /// A real negative slice (the middle slice of the first PhysioNet CT-ICH patient without any hemorrhage; HU
    /// rebuilt from its two JPG windows, 0.35 mm pixels assumed): every subtype the slice can hold is placed by the
    /// same anatomical rules; a subtype it cannot hold is refused with <see cref="InsertionHostException"/>, never
    /// misplaced. Epidural, subdural and intraparenchymal always fit a mid-brain slice.
    /// </summary>
    [SkippableFact]
    public void Insert_RealPhysioNetNegativeSlice_SubtypesLandInTheirAnatomy()
    {
        var root = Ich.TestKit.RepoPaths.RequireShared("physionet-ctich");
        var load = Ich.Data.Catalog.DatasetCatalog.Open(Ich.Data.Catalog.DatasetKind.PhysioNet, root);
        var negative = load.Scans.First(s => s.Slices.Count >= 20 && s.Slices.All(x => x.Labels![0] == 0f));
        var hu = negative.Slices[negative.Slices.Count / 2].LoadHu();
        var host = new HuImage(hu.Width, hu.Height, hu.Pixels, 0.35);
        var placed = new List<int>();
        foreach (var c in BleedInserter.Subtypes)
        {
            InsertedBleed result;
            try { result = BleedInserter.Insert(host, c, new SynthRandom((ulong)c)); }
            catch (InsertionHostException) { continue; }
            AssertPlacement(host, result, c, 0.35);
            placed.Add(c);
        }
        Assert.Contains(1, placed);
        Assert.Contains(2, placed);
        Assert.Contains(5, placed);
    }

    private static void AssertPlacement(HuImage host, InsertedBleed result, int classIndex, double spacing)
    {
        int w = host.Width, h = host.Height;
        var mask = result.Mask;
        var blood = Enumerable.Range(0, mask.Length).Where(i => mask[i] != 0).ToArray();

        float[] expectedLabels = [1, 0, 0, 0, 0, 0];
        expectedLabels[classIndex] = 1;
        Assert.Equal(expectedLabels, result.Labels);
        Assert.True(blood.Length * spacing * spacing >= 10, $"only {blood.Length} blood pixels");

        // Independent geometry: bone ≥ 300 HU; depth = distance to the nearest bone pixel (brute force).
        var bone = Enumerable.Range(0, host.Pixels.Length).Where(i => host.Pixels[i] >= 300).ToArray();
        double Depth(int i) => bone.Min(b => Math.Sqrt(Sq(b % w - i % w) + Sq(b / w - i / w))) * spacing;
        var sample = blood.Where((_, k) => k % Math.Max(1, blood.Length / 150) == 0).ToArray();
        var depths = sample.Select(Depth).ToArray();
        Assert.All(blood, i => Assert.True(host.Pixels[i] is > -200 and < 300, $"blood on non-brain pixel {i} ({host.Pixels[i]} HU)"));
        double Mean3(int i)
        {
            double s = 0; var n = 0;
            for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int x = i % w + dx, y = i / w + dy;
                    if (x >= 0 && y >= 0 && x < w && y < h) { s += host.Pixels[y * w + x]; n++; }
                }
            return s / n;
        }
        switch (classIndex)
        {
            case 1 or 5: // epidural / subdural: touch the inner table, no deeper than their thickness range
                Assert.True(blood.Any(i => Depth(i) <= 1.5 * spacing), "extra-axial blood does not touch the inner table");
                Assert.All(depths, d => Assert.True(d <= (classIndex == 1 ? 20 : 12) * 1.1 + spacing, $"{d:0.0} mm deep"));
                break;
            case 3: // intraventricular: inside deep CSF
                Assert.All(blood, i => Assert.InRange(Mean3(i), 0, 15));
                Assert.All(depths, d => Assert.True(d >= 15 - spacing, $"IVH pixel only {d:0.0} mm deep"));
                break;
            case 4: // subarachnoid: CSF near the brain surface
                Assert.All(blood, i => Assert.InRange(Mean3(i), 0, 15));
                Assert.All(depths, d => Assert.True(d <= 15 + 1.5 * spacing, $"SAH pixel {d:0.0} mm deep"));
                break;
            case 2: // intraparenchymal: parenchyma, off the inner table
                Assert.True(blood.Count(i => Mean3(i) is > 15 and <= 80) >= 0.9 * blood.Length, "IPH mostly outside parenchyma");
                Assert.All(depths, d => Assert.True(d >= 2, $"IPH pixel {d:0.0} mm from the table"));
                break;
        }

        // HU: mean in 40–90, and pixels within the range widened by 4 σ of the host noise.
        var values = blood.Select(i => (double)result.Hu.Pixels[i]).ToArray();
        Assert.InRange(values.Average(), 40, 90);
        var sigma = result.HostNoiseHu;
        Assert.InRange(sigma, 0.5, 40);
        Assert.True(values.Count(v => v >= 40 - 4 * sigma && v <= 90 + 4 * sigma) >= 0.99 * values.Length);

        // Host pixels: every changed pixel is blood, next to blood (partial-volume rim) or, for IPH, in the edema rim (≤ 8 mm).
        var maxReach = classIndex == 2 ? 8 + 1.5 * spacing : 1.5 * spacing;
        for (var i = 0; i < host.Pixels.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(host.Pixels[i]) == BitConverter.SingleToInt32Bits(result.Hu.Pixels[i]) || mask[i] != 0) continue;
            int x = i % w, y = i / w;
            var near = blood.Any(b => Math.Sqrt(Sq(b % w - x) + Sq(b / w - y)) * spacing <= maxReach);
            Assert.True(near, $"pixel ({x}, {y}) changed {host.Pixels[i]} → {result.Hu.Pixels[i]} far from the bleed");
        }
        Assert.Equal(host.PixelSpacingMm, result.Hu.PixelSpacingMm);
    }

    [Fact]
    public void Insert_SameSeed_SameResult_OtherSeed_Different()
    {
        var host = Host.Value;
        var a = BleedInserter.Insert(host, 2, new SynthRandom(99));
        var b = BleedInserter.Insert(host, 2, new SynthRandom(99));
        var c = BleedInserter.Insert(host, 2, new SynthRandom(100));
        Assert.Equal(a.Hu.Pixels, b.Hu.Pixels);
        Assert.Equal(a.Mask, b.Mask);
        Assert.NotEqual(a.Mask, c.Mask);
    }

    [Fact]
    public void HostNoise_GaussianNoiseOnFlatBrain_RecoversSigma()
    {
        // A 300 px disc of 30 HU brain with N(0, 6²) noise inside a 1000 HU skull ring: the estimate must be 6 ± 0.4.
        const int size = 300;
        var rng = new Random(5);
        var px = new float[size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var r = Math.Sqrt(Sq(x - 150) + Sq(y - 150));
                px[y * size + x] = r > 140 ? -1000 : r > 130 ? 1000 : (float)(30 + 6 * Gaussian(rng));
            }
        var anatomy = HostAnatomy.Find(new HuImage(size, size, px, 0.5));
        Assert.InRange(HostNoise.Estimate(anatomy)!.Value, 5.6, 6.4);
        // The intracranial space is the inside of the ring: radius 130 px → π·130² px.
        Assert.InRange(anatomy.IntracranialCount, Math.PI * 129 * 129, Math.PI * 131 * 131);
    }

    [Fact]
    public void Insert_NoSkull_IsInsertionHostException()
    {
        var water = new HuImage(128, 128, Enumerable.Repeat(20f, 128 * 128).ToArray(), 0.5);
        var e = Assert.Throws<InsertionHostException>(() => BleedInserter.Insert(water, 1, new SynthRandom(1), name: "water.dcm"));
        Assert.Contains("no closed skull", e.Message);
        Assert.Contains("water.dcm", e.Message);
        var noSpacing = new HuImage(64, 64, new float[64 * 64]);
        Assert.Throws<InsertionHostException>(() => BleedInserter.Insert(noSpacing, 1, new SynthRandom(1)));
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
    private static double Sq(double v) => v * v;
}
