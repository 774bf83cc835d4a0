using Ich.Imaging;

namespace Ich.Training.Cnn;

/// <summary>
/// Changes one training sample's HU grid (<see cref="NetworkInput.ResampledHu"/>) as another scanner, kernel or phantom
/// generator would, before its windows are taken: with probability p, a Gaussian blur (a softer kernel), with
/// <c>sharpen</c> an unsharp mask (a sharper kernel: edges and fine texture enhanced), a soft-tissue contrast factor
/// around <see cref="ContrastCentreHu"/> (gray/white matter and blood closer together or further apart), with
/// <c>brainLiftHu</c> a brain lift (gray and white matter denser while blood keeps its density), a calibration
/// offset, and noise — white, or with <c>grainPx</c> correlated over a drawn number of pixels as a softer kernel's noise
/// is — in that order. Bone and air keep their place in every window: the contrast
/// change fades out beyond ±<see cref="ContrastFullHu"/> HU of the centre and is gone at ±(full + taper), so only the
/// offset and noise reach them. Draws come from one <see cref="Random"/> in a fixed order: reproducible and resumable.
/// </summary>
public sealed class IntensityAugmenter(IntensityAugmentConfig config, Random rng)
{
    /// <summary>Middle of brain tissue (white matter about 25–30 HU, gray matter 35–40, fresh blood 50–90).</summary>
    public const float ContrastCentreHu = 40;

    /// <summary>Within this distance of the centre the contrast factor applies in full (−20 to 100 HU).</summary>
    public const float ContrastFullHu = 60;

    /// <summary>Over this distance beyond the full range the change fades to none (none below −70 HU or above 150 HU).</summary>
    public const float ContrastTaperHu = 50;

    /// <summary>
    /// Largest contrast spread the map stays increasing for: at distance d from the centre inside the taper the slope is
    /// 1 + (k − 1)·(1 − (d − full)/taper − d/taper), whose bracket falls to −(full + taper)/taper = −2.2 at the taper's
    /// end (and is 1 inside the full range); so |k − 1| must stay under 1/2.2 ≈ 0.45. Configs may use up to 0.4.
    /// </summary>
    public const double MaxContrast = 0.4;

    /// <summary>Lower end of the band the brain lift raises in full (CSF-rich tissue below it is raised less).</summary>
    public const float LiftLowHu = 15;

    /// <summary>Upper end of the band the brain lift raises in full: gray matter; fresh blood lies above.</summary>
    public const float LiftHighHu = 40;

    /// <summary>Over this distance beyond the band the lift fades to none (none below −5 HU or from 60 HU up).</summary>
    public const float LiftTaperHu = 20;

    /// <summary>Largest lift configs may use: above the band the slope is 1 − lift/taper, kept at 0.5 or more.</summary>
    public const double MaxLiftHu = 10;

    /// <summary>Width of the unsharp mask's Gaussian (network pixels): sharpening lifts detail finer than about this.</summary>
    public const double SharpenSigmaPx = 1;

    /// <summary>
    /// The sample's grid, changed with probability p (a new array), or <paramref name="hu"/> itself when it is left alone.
    /// <paramref name="hu"/> is never written to (it may be the slice cache's).
    /// </summary>
    public float[] Apply(float[] hu, int size)
    {
        ArgumentNullException.ThrowIfNull(hu);
        if (hu.Length != size * size) throw new ArgumentException($"grid of {hu.Length} values is not {size}×{size}", nameof(hu));
        if (config.P <= 0 || rng.NextDouble() >= config.P) return hu;
        var blur = rng.NextDouble() * config.BlurPx;
        var k = 1 + (rng.NextDouble() * 2 - 1) * config.Contrast;
        var offset = (float)((rng.NextDouble() * 2 - 1) * config.OffsetHu);
        var noise = rng.NextDouble() * config.NoiseHu;
        // Drawn only when configured, so configs without a grain keep their exact random stream (and weights).
        var grain = config.GrainPx > 0 ? rng.NextDouble() * config.GrainPx : 0;
        var sharpen = config.Sharpen > 0 ? rng.NextDouble() * config.Sharpen : 0;
        var lift = config.BrainLiftHu > 0 ? (float)(rng.NextDouble() * config.BrainLiftHu) : 0f;
        var result = blur > 0 ? Blur(hu, size, blur) : (float[])hu.Clone();
        if (sharpen > 0) result = Sharpen(result, size, sharpen);
        if (grain > 0)
        {
            for (var i = 0; i < result.Length; i++) result[i] = Tissue(result[i], k, lift) + offset;
            if (noise > 0)
            {
                var field = GrainNoise(size, grain);
                for (var i = 0; i < result.Length; i++) result[i] += (float)(noise * field[i]);
            }
            return result;
        }
        for (var i = 0; i < result.Length; i++)
        {
            var v = Tissue(result[i], k, lift) + offset;
            if (noise > 0) v += (float)(noise * StandardNormal());
            result[i] = v;
        }
        return result;
    }

    /// <summary>
    /// Unit-variance noise correlated over about <paramref name="sigma"/> pixels: white noise through a Gaussian blur,
    /// divided by the blur's exact noise gain (the sum of the 2-D kernel's squared weights is the square of the 1-D
    /// kernel's, away from the border), so the drawn noise level means the same HU whatever the grain.
    /// </summary>
    public float[] GrainNoise(int size, double sigma)
    {
        var white = new float[size * size];
        for (var i = 0; i < white.Length; i++) white[i] = (float)StandardNormal();
        var field = Blur(white, size, sigma);
        var gain = GaussianKernel(sigma).Sum(w => w * w);
        for (var i = 0; i < field.Length; i++) field[i] = (float)(field[i] / gain);
        return field;
    }

    /// <summary>
    /// The contrast map: h + (k − 1)·(h − centre)·w(h), w = 1 within <see cref="ContrastFullHu"/> of the centre, falling
    /// linearly to 0 over the next <see cref="ContrastTaperHu"/>. Continuous, and increasing for |k − 1| ≤ <see cref="MaxContrast"/>.
    /// </summary>
    public static float Contrast(float hu, double k)
    {
        var d = hu - ContrastCentreHu;
        var w = Math.Clamp(1 - (Math.Abs(d) - ContrastFullHu) / ContrastTaperHu, 0, 1);
        return (float)(hu + (k - 1) * d * w);
    }

    /// <summary>The contrast map, then the brain lift when one was drawn (none: exactly the contrast map, as before it existed).</summary>
    private static float Tissue(float hu, double k, float lift)
    {
        var v = Contrast(hu, k);
        return lift > 0 ? BrainLift(v, lift) : v;
    }

    /// <summary>
    /// The brain lift: h + lift·w(h), w = 1 from <see cref="LiftLowHu"/> to <see cref="LiftHighHu"/> (white and gray
    /// matter), falling linearly to 0 over <see cref="LiftTaperHu"/> on either side, so fresh blood (60 HU and denser),
    /// bone and air keep their values while the brain around them comes closer to blood: the bright-brain, low-contrast
    /// scans where the style-shift phantoms are missed most. Continuous, and increasing for lift ≤ <see cref="MaxLiftHu"/>.
    /// </summary>
    public static float BrainLift(float hu, float lift)
    {
        var outside = hu < LiftLowHu ? LiftLowHu - hu : hu > LiftHighHu ? hu - LiftHighHu : 0;
        var w = Math.Clamp(1 - outside / LiftTaperHu, 0, 1);
        return hu + lift * w;
    }

    /// <summary>
    /// Unsharp mask: g + amount·(g − blur(g, <see cref="SharpenSigmaPx"/>)). A constant stays itself; edges overshoot on
    /// both sides and noise already in the slice grows, as with a sharper reconstruction kernel.
    /// </summary>
    public static float[] Sharpen(float[] grid, int size, double amount)
    {
        var smooth = Blur(grid, size, SharpenSigmaPx);
        var result = new float[grid.Length];
        for (var i = 0; i < grid.Length; i++) result[i] = (float)(grid[i] + amount * (grid[i] - smooth[i]));
        return result;
    }

    /// <summary>Separable Gaussian blur of a size × size grid, kernel radius ⌈3σ⌉, the border pixel repeated outside.</summary>
    public static float[] Blur(float[] grid, int size, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        var kernel = GaussianKernel(sigma);
        var radius = kernel.Length / 2;
        var rows = new float[grid.Length];
        var result = new float[grid.Length];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var acc = 0.0;
                for (var j = -radius; j <= radius; j++) acc += kernel[j + radius] * grid[y * size + Math.Clamp(x + j, 0, size - 1)];
                rows[y * size + x] = (float)acc;
            }
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var acc = 0.0;
                for (var j = -radius; j <= radius; j++) acc += kernel[j + radius] * rows[Math.Clamp(y + j, 0, size - 1) * size + x];
                result[y * size + x] = (float)acc;
            }
        return result;
    }

    /// <summary>Normalised 1-D Gaussian weights of standard deviation <paramref name="sigma"/>, radius ⌈3σ⌉.</summary>
    private static double[] GaussianKernel(double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[2 * radius + 1];
        for (var j = -radius; j <= radius; j++) kernel[j + radius] = Math.Exp(-j * j / (2 * sigma * sigma));
        var sum = kernel.Sum();
        for (var j = 0; j < kernel.Length; j++) kernel[j] /= sum;
        return kernel;
    }

    /// <summary>Box–Muller from the sample's stream (one draw per call keeps the order simple and fixed).</summary>
    private double StandardNormal()
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
