using Ich.Core.Errors;
using Ich.Imaging;
using Ich.Model.Cnn;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// Train-time intensity changes in HU (<see cref="IntensityAugmenter"/>): the contrast map's hand values, fade and
/// monotonicity; the blur's mass and kernel; one offset per sample; the noise's variance over its drawn range; grained noise's
/// level and neighbour correlation, and the unchanged random stream without a grain; the unsharp mask's hand values and its
/// drawn amount; how often a sample is changed; that the batch takes its windows from the changed grid without changing what insertion chose; the
/// config's checks.
/// </summary>
public class IntensityAugmenterTests
{
    [Fact]
    public void Contrast_ScalesAroundTheCentre_FadesOutBeyondIt()
    {
        Assert.Equal(40f, IntensityAugmenter.Contrast(40, 1.3), 4);
        Assert.Equal(76f, IntensityAugmenter.Contrast(70, 1.2), 4);      // 70 + 0.2·30: blood moves away from brain
        Assert.Equal(-8f, IntensityAugmenter.Contrast(-20, 0.8), 4);     // −20 − 0.2·(−60), the full range's edge
        Assert.Equal(133.5f, IntensityAugmenter.Contrast(125, 1.2), 4);  // half way down the taper: 125 + 0.2·85·0.5
        foreach (var k in new[] { 0.6, 1.4 })
        {
            Assert.Equal(150f, IntensityAugmenter.Contrast(150, k), 4);   // the taper's end
            Assert.Equal(-70f, IntensityAugmenter.Contrast(-70, k), 4);
            Assert.Equal(1200f, IntensityAugmenter.Contrast(1200, k), 4); // bone and air are left alone
            Assert.Equal(-1000f, IntensityAugmenter.Contrast(-1000, k), 4);
        }
    }

    [Theory]
    [InlineData(1 - IntensityAugmenter.MaxContrast)]
    [InlineData(1 + IntensityAugmenter.MaxContrast)]
    public void Contrast_AtTheLargestAllowedSpread_StaysIncreasing(double k)
    {
        var previous = IntensityAugmenter.Contrast(-300, k);
        for (var h = -300.0 + 0.25; h <= 400; h += 0.25)
        {
            var v = IntensityAugmenter.Contrast((float)h, k);
            Assert.True(v > previous, $"not increasing at {h} HU for k {k}: {previous} then {v}");
            previous = v;
        }
    }

    [Fact]
    public void Blur_KeepsAConstantAndTheMass_SpreadsAnImpulseAsTheKernel()
    {
        const int size = 32;
        Assert.All(IntensityAugmenter.Blur(Enumerable.Repeat(37f, size * size).ToArray(), size, 1.3), v => Assert.Equal(37f, v, 3));
        var impulse = new float[size * size];
        impulse[16 * size + 16] = 100;
        var blurred = IntensityAugmenter.Blur(impulse, size, 1);
        Assert.Equal(100.0, blurred.Sum(v => (double)v), 3);
        // σ = 1, radius 3: g(0) = 1/(1 + 2(e^−½ + e^−2 + e^−4.5)) = 0.39905, g(1) = g(0)·e^−½.
        const double g0 = 0.399050, g1 = g0 * 0.606531;
        Assert.Equal(100 * g0 * g0, blurred[16 * size + 16], 3);
        Assert.Equal(100 * g0 * g1, blurred[16 * size + 17], 3);
        Assert.Equal(100 * g1 * g1, blurred[17 * size + 15], 3);
        Assert.Equal(0f, blurred[16 * size + 20]); // beyond the radius
    }

    [Fact]
    public void Sharpen_KeepsAConstant_AddsTheAmountTimesTheDetailToAnImpulse()
    {
        const int size = 32;
        Assert.All(IntensityAugmenter.Sharpen(Enumerable.Repeat(37f, size * size).ToArray(), size, 1.5), v => Assert.Equal(37f, v, 3));
        var impulse = new float[size * size];
        impulse[16 * size + 16] = 100;
        var sharpened = IntensityAugmenter.Sharpen(impulse, size, 0.5);
        // The unsharp mask's blur is σ = 1 px (g0, g1 as in the blur test): the peak rises, its neighbours dip below zero.
        const double g0 = 0.399050, g1 = g0 * 0.606531;
        Assert.Equal(100 + 0.5 * (100 - 100 * g0 * g0), sharpened[16 * size + 16], 3);
        Assert.Equal(-0.5 * 100 * g0 * g1, sharpened[16 * size + 17], 3);
        Assert.Equal(100.0, sharpened.Sum(v => (double)v), 3); // detail sums to zero: the mass is kept
        Assert.Equal(0f, sharpened[16 * size + 20]);
    }

    /// <summary>The amount is drawn after every earlier draw (p, blur, contrast, offset, noise level), so configs without it keep their stream.</summary>
    [Fact]
    public void Apply_SharpenOnly_IsTheUnsharpMaskOfTheDrawnAmount()
    {
        const int size = 24;
        var rng = new Random(4);
        var grid = Enumerable.Range(0, size * size).Select(i => (float)(rng.NextDouble() * 80)).ToArray();
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1, Sharpen = 1.2 }, new Random(31));
        var replay = new Random(31);
        var amounts = new List<double>();
        for (var draw = 0; draw < 20; draw++)
        {
            for (var skipped = 0; skipped < 5; skipped++) replay.NextDouble(); // p, blur, contrast, offset, noise level
            var amount = replay.NextDouble() * 1.2;
            amounts.Add(amount);
            Assert.Equal(IntensityAugmenter.Sharpen(grid, size, amount), augmenter.Apply(grid, size));
        }
        Assert.Contains(amounts, a => a > 0.8);
    }

    [Fact]
    public void BrainLift_RaisesBrainInFull_LeavesBloodBoneAndAirAlone_StaysIncreasing()
    {
        const float lift = 10; // the largest a config may draw
        foreach (var brain in new[] { 15f, 25f, 32f, 40f }) Assert.Equal(brain + lift, IntensityAugmenter.BrainLift(brain, lift), 4);
        foreach (var other in new[] { -1000f, -5f, 60f, 75f, 90f, 700f }) Assert.Equal(other, IntensityAugmenter.BrainLift(other, lift));
        Assert.Equal(50 + lift / 2, IntensityAugmenter.BrainLift(50, lift), 4); // half way down the upper taper
        Assert.Equal(5 + lift / 2, IntensityAugmenter.BrainLift(5, lift), 4);   // half way down the lower taper
        var previous = float.NegativeInfinity;
        for (var h = -50f; h <= 120f; h += 0.25f)
        {
            var v = IntensityAugmenter.BrainLift(h, lift);
            Assert.True(v > previous, $"the map must increase: f({h}) = {v} after {previous}");
            previous = v;
        }
    }

    /// <summary>The lift is drawn after every earlier draw (p, blur, contrast, offset, noise level), so configs without it keep their stream.</summary>
    [Fact]
    public void Apply_BrainLiftOnly_IsTheLiftOfTheDrawnAmount()
    {
        const int size = 24;
        var rng = new Random(5);
        var grid = Enumerable.Range(0, size * size).Select(i => (float)(rng.NextDouble() * 140 - 30)).ToArray();
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1, BrainLiftHu = 8 }, new Random(37));
        var replay = new Random(37);
        var lifts = new List<float>();
        for (var draw = 0; draw < 20; draw++)
        {
            for (var skipped = 0; skipped < 5; skipped++) replay.NextDouble(); // p, blur, contrast, offset, noise level
            var lift = (float)(replay.NextDouble() * 8);
            lifts.Add(lift);
            Assert.Equal(grid.Select(h => IntensityAugmenter.BrainLift(h, lift)).ToArray(), augmenter.Apply(grid, size));
        }
        Assert.Contains(lifts, l => l > 6);
    }

    /// <summary>With a grain configured too, the lift is drawn after the grain and applied in the grained branch as well
    /// (no noise level here, so the output is the lift alone).</summary>
    [Fact]
    public void Apply_BrainLiftWithGrain_IsDrawnAfterTheGrainAndAppliedInTheGrainedBranch()
    {
        const int size = 24;
        var rng = new Random(6);
        var grid = Enumerable.Range(0, size * size).Select(i => (float)(rng.NextDouble() * 140 - 30)).ToArray();
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1, GrainPx = 2, BrainLiftHu = 8 }, new Random(41));
        var replay = new Random(41);
        var lifts = new List<float>();
        for (var draw = 0; draw < 20; draw++)
        {
            for (var skipped = 0; skipped < 6; skipped++) replay.NextDouble(); // p, blur, contrast, offset, noise level, grain
            var lift = (float)(replay.NextDouble() * 8);
            lifts.Add(lift);
            Assert.Equal(grid.Select(h => IntensityAugmenter.BrainLift(h, lift)).ToArray(), augmenter.Apply(grid, size));
        }
        Assert.Contains(lifts, l => l > 6);
    }

    [Fact]
    public void Apply_OffsetOnly_OneShiftPerSampleWithinTheRange_InputUntouched()
    {
        const int size = 16;
        var rng = new Random(3);
        var grid = Enumerable.Range(0, size * size).Select(i => (float)(rng.NextDouble() * 3000 - 1000)).ToArray();
        var copy = (float[])grid.Clone();
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1, OffsetHu = 10 }, new Random(11));
        var shifts = new List<float>();
        for (var draw = 0; draw < 60; draw++)
        {
            var result = augmenter.Apply(grid, size);
            Assert.NotSame(grid, result);
            var shift = result[0] - grid[0];
            Assert.InRange(shift, -10f, 10f);
            for (var i = 0; i < grid.Length; i++) Assert.Equal(shift, result[i] - grid[i], 2);
            shifts.Add(shift);
        }
        Assert.Equal(copy, grid);
        Assert.Contains(shifts, v => v < -5);
        Assert.Contains(shifts, v => v > 5);
    }

    /// <summary>σ drawn from U(0, n) gives E[σ²] = n²/3: 27 HU² for n = 9, over 400 samples of 1,024 pixels each.</summary>
    [Fact]
    public void Apply_NoiseOnly_VarianceIsTheDrawnRangesMeanSquare()
    {
        const int size = 32;
        var flat = Enumerable.Repeat(30f, size * size).ToArray();
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1, NoiseHu = 9 }, new Random(5));
        double varianceSum = 0, meanSum = 0;
        const int draws = 400;
        for (var d = 0; d < draws; d++)
        {
            var r = augmenter.Apply(flat, size);
            var mean = r.Average(v => (double)v);
            meanSum += mean;
            varianceSum += r.Sum(v => (v - mean) * (v - mean)) / (r.Length - 1);
        }
        Assert.InRange(varianceSum / draws, 27 * 0.9, 27 * 1.1);
        Assert.Equal(30, meanSum / draws, 1);
    }

    /// <summary>Lag-1 correlation of white noise through a normalised 1-D Gaussian g (the other axis contributes 1): Σ g_j g_(j+1) / Σ g_j².</summary>
    private static double Lag1Correlation(double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var g = Enumerable.Range(-radius, 2 * radius + 1).Select(j => Math.Exp(-j * j / (2 * sigma * sigma))).ToArray();
        return g.Zip(g.Skip(1)).Sum(p => p.First * p.Second) / g.Sum(v => v * v);
    }

    private static (double Variance, double Lag1) InteriorStatistics(float[] field, int size, int margin)
    {
        double sum = 0, sq = 0, lag = 0; var n = 0;
        for (var y = margin; y < size - margin; y++)
            for (var x = margin; x < size - margin; x++)
            {
                var v = field[y * size + x];
                sum += v; sq += v * v; lag += v * field[y * size + x + 1]; n++;
            }
        var mean = sum / n;
        var variance = sq / n - mean * mean;
        return (variance, (lag / n - mean * mean) / variance);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void GrainNoise_HasUnitVariance_AndTheBlursNeighbourCorrelation(double sigma)
    {
        const int size = 160;
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig(), new Random(21));
        double variance = 0, lag1 = 0;
        const int draws = 8;
        for (var d = 0; d < draws; d++)
        {
            var (v, l) = InteriorStatistics(augmenter.GrainNoise(size, sigma), size, 8);
            variance += v / draws; lag1 += l / draws;
        }
        // 8 × 144² pixels, but correlated over a few pixels: a few per cent of sampling error at σ = 2.
        Assert.InRange(variance, 0.92, 1.08);
        Assert.InRange(lag1, Lag1Correlation(sigma) - 0.03, Lag1Correlation(sigma) + 0.03);
    }

    /// <summary>With a grain the drawn level is kept (E[σ²] = n²/3 = 27 HU²) but neighbours move together; white noise's do not.</summary>
    [Fact]
    public void Apply_GrainedNoise_KeepsTheLevel_CorrelatesNeighbours()
    {
        const int size = 64;
        var flat = Enumerable.Repeat(30f, size * size).ToArray();
        foreach (var (grainPx, minLag, maxLag) in new[] { (0.0, -0.05, 0.05), (3.0, 0.5, 1.0) })
        {
            var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1, NoiseHu = 9, GrainPx = grainPx }, new Random(5));
            double variance = 0, lag1 = 0;
            const int draws = 300;
            for (var d = 0; d < draws; d++)
            {
                var (v, l) = InteriorStatistics(augmenter.Apply(flat, size), size, 10);
                variance += v / draws;
                if (v > 1) lag1 += l / draws; // a draw of near-zero level has no correlation to speak of
            }
            Assert.InRange(variance, 27 * 0.85, 27 * 1.15);
            Assert.InRange(lag1, minLag, maxLag);
        }
    }

    /// <summary>
    /// A config without a grain draws exactly what it drew before grains existed — the p test, blur, contrast, offset and
    /// noise level, then two draws per pixel — so runs of earlier configs keep their weights bit for bit.
    /// </summary>
    [Fact]
    public void Apply_WithoutGrain_DrawsTheStreamAsBefore()
    {
        const int size = 6;
        var grid = Enumerable.Range(0, size * size).Select(i => 20f + i).ToArray();
        var config = new IntensityAugmentConfig { P = 1, Contrast = 0.2, OffsetHu = 5, NoiseHu = 4 };
        var actual = new IntensityAugmenter(config, new Random(17)).Apply(grid, size);
        var replay = new Random(17);
        replay.NextDouble(); // p
        replay.NextDouble(); // blur (0 here)
        var k = 1 + (replay.NextDouble() * 2 - 1) * 0.2;
        var offset = (float)((replay.NextDouble() * 2 - 1) * 5);
        var noise = replay.NextDouble() * 4;
        for (var i = 0; i < grid.Length; i++)
        {
            var u1 = 1 - replay.NextDouble();
            var u2 = replay.NextDouble();
            var expected = IntensityAugmenter.Contrast(grid[i], k) + offset + (float)(noise * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            Assert.Equal(expected, actual[i]);
        }
    }

    [Fact]
    public void Apply_ChangesASampleWithProbabilityP_AndReproducesForASeed()
    {
        const int size = 8;
        var grid = Enumerable.Range(0, size * size).Select(i => i * 2f).ToArray();
        var off = new IntensityAugmenter(new IntensityAugmentConfig { P = 0, OffsetHu = 10, NoiseHu = 5 }, new Random(1));
        Assert.Same(grid, off.Apply(grid, size));

        var config = new IntensityAugmentConfig { P = 0.5, Contrast = 0.3, OffsetHu = 10, NoiseHu = 5, BlurPx = 1 };
        var half = new IntensityAugmenter(config, new Random(2));
        var changed = Enumerable.Range(0, 200).Count(_ => !ReferenceEquals(half.Apply(grid, size), grid));
        Assert.InRange(changed, 70, 130); // binomial(200, ½): mean 100, sd 7

        var a = new IntensityAugmenter(config, new Random(9));
        var b = new IntensityAugmenter(config, new Random(9));
        for (var d = 0; d < 20; d++) Assert.Equal(a.Apply(grid, size), b.Apply(grid, size));
    }

    [Fact]
    public void Apply_WrongGridSize_IsRefused()
    {
        var augmenter = new IntensityAugmenter(new IntensityAugmentConfig { P = 1 }, new Random(1));
        Assert.Throws<ArgumentException>(() => augmenter.Apply(new float[10], 4));
    }

    /// <summary>
    /// In the batch: insertion makes the same choices (origins, labels, masks) with or without the intensity changes, and
    /// each sample's image is the windows of its own grid after the augmenter, in sample order.
    /// </summary>
    [Fact]
    public void Build_WithIntensity_InsertionUnchanged_ImagesAreTheChangedGridsWindows()
    {
        var negative = TinyScans.Make(2, 4, size: 256, seed: 4)[1];
        var table = new SliceTable([negative], 64);
        int[] idx = [0, 1, 2, 3];
        var insert = new BleedInsertionConfig { Probability = 0.5, AssumedSpacingMm = 0.9 };
        var config = new IntensityAugmentConfig { P = 1, Contrast = 0.3, OffsetHu = 20, NoiseHu = 6, BlurPx = 0.8 };
        var plain = TrainingBatch.Build(table, idx, insert, null, new Random(5));
        var changed = TrainingBatch.Build(table, idx, insert, null, new Random(5), intensity: new IntensityAugmenter(config, new Random(8)));
        Assert.Equal(plain.Origins, changed.Origins);
        Assert.Equal(plain.Labels, changed.Labels);
        Assert.Equal(plain.Masks, changed.Masks);
        Assert.NotEqual(plain.Images, changed.Images);

        // Without insertion the grids are the table's own: the batch is exactly their changed windows.
        var noInsert = TrainingBatch.Build(table, idx, new BleedInsertionConfig(), null, new Random(5), intensity: new IntensityAugmenter(config, new Random(8)));
        var replay = new IntensityAugmenter(config, new Random(8));
        var expected = idx.SelectMany(i => CnnInputs.ToBytes(NetworkInput.Windows(replay.Apply(table.Hu(i), 64))).Select(v => v * (1f / 255f))).ToArray();
        Assert.Equal(expected, noInsert.Images);
        Assert.Equal(table.Image(0), CnnInputs.ToBytes(NetworkInput.Windows(table.Hu(0)))); // the cached grid itself was not changed
    }

    [Fact]
    public void Load_Intensity_ReadDefaultOffAndBadValuesRefused()
    {
        Assert.Equal(0, CnnConfigText.Load("""{ "backbone": "small" }""").Augment.Intensity.P);
        var read = CnnConfigText.Load("""{ "backbone": "small", "augment": { "intensity": { "p": 0.8, "contrast": 0.25, "offsetHu": 8, "noiseHu": 10, "blurPx": 0.7, "grainPx": 1.5, "sharpen": 0.8, "brainLiftHu": 6 } } }""").Augment.Intensity;
        Assert.Equal(new IntensityAugmentConfig { P = 0.8, Contrast = 0.25, OffsetHu = 8, NoiseHu = 10, BlurPx = 0.7, GrainPx = 1.5, Sharpen = 0.8, BrainLiftHu = 6 }, read);
        foreach (var (json, word) in new[]
                 {
                     ("""{ "p": 1.5 }""", "intensity.p"),
                     ("""{ "p": 1, "contrast": 0.5 }""", "contrast"),
                     ("""{ "p": 1, "offsetHu": -1 }""", "offsetHu"),
                     ("""{ "p": 1, "noiseHu": 80 }""", "noiseHu"),
                     ("""{ "p": 1, "blurPx": 4 }""", "blurPx"),
                     ("""{ "p": 1, "grainPx": 5 }""", "grainPx"),
                     ("""{ "p": 1, "sharpen": 2.5 }""", "sharpen"),
                     ("""{ "p": 1, "brainLiftHu": 12 }""", "brainLiftHu"),
                     ("""{ "p": 1, "brainLiftHu": -1 }""", "brainLiftHu"),
                     ("""{ "p": 1, "gamma": 1.2 }""", "gamma"),
                 })
        {
            var ex = Assert.Throws<ConfigException>(() => CnnConfigText.Load($$"""{ "backbone": "small", "augment": { "intensity": {{json}} } }"""));
            Assert.Contains(word, ex.Message, StringComparison.Ordinal);
        }
    }}
