using System.Numerics;

namespace Ich.Synth.Rendering;

/// <summary>
/// Scanner effects applied to a rendered slab, in the order a scanner makes them: reconstruction
/// blur (kernel), beam-hardening streaks from dense skull-base bone, motion ghosting, then correlated
/// quantum noise. All randomness comes from the slice's own seeded generator (deterministic in parallel).
/// Split in two (<see cref="Reconstruct"/>, <see cref="Degrade"/>) so the visible-label rule can read the noise-free
/// reconstructed image between them.
/// </summary>
public static class Artifacts
{
    /// <summary>The reconstruction kernel's blur: the noise-free image a reader's eye would average over.</summary>
    public static void Reconstruct(ScanPlan plan, float[] hu)
    {
        for (var pass = 0; pass < plan.KernelBlurPasses; pass++) Blur121(hu, plan.Size);
    }

    /// <summary>What degrades the reconstructed image: streaks, motion ghosting, quantum noise, and the FOV's edge.</summary>
    public static void Degrade(ScanPlan plan, int k, float[] hu, bool[] inside)
    {
        var n = plan.Size;
        var rng = plan.Random(1000 + k);
        Streaks(plan, k, hu, n, rng);
        if (k >= plan.MotionSlices.Start && k < plan.MotionSlices.End) Ghost(hu, n, rng);
        Noise(plan, k, hu, n, rng);
        for (var i = 0; i < hu.Length; i++) if (!inside[i]) hu[i] = -1000;
    }

    /// <summary>Separable [1 2 1]/4 blur (clamped edges).</summary>
    public static void Blur121(float[] a, int n)
    {
        var tmp = new float[a.Length];
        for (var i = 0; i < n; i++)
        {
            var r = i * n;
            for (var j = 0; j < n; j++)
                tmp[r + j] = 0.25f * a[r + Math.Max(j - 1, 0)] + 0.5f * a[r + j] + 0.25f * a[r + Math.Min(j + 1, n - 1)];
        }
        for (var i = 0; i < n; i++)
        {
            int up = Math.Max(i - 1, 0) * n, mid = i * n, down = Math.Min(i + 1, n - 1) * n;
            for (var j = 0; j < n; j++) a[mid + j] = 0.25f * tmp[up + j] + 0.5f * tmp[mid + j] + 0.25f * tmp[down + j];
        }
    }

    /// <summary>
    /// Dark and bright bands between pairs of dense bone pixels (the Hounsfield bar between the
    /// petrous bones and streaks across the posterior fossa), only at skull-base levels.
    /// </summary>
    private static void Streaks(ScanPlan plan, int k, float[] hu, int n, SynthRandom rng)
    {
        var dense = new List<int>();
        for (var i = 0; i < hu.Length; i += 3) if (hu[i] > 1500) dense.Add(i);
        var centre = plan.ToHead(plan.ImagePosition(k) + (plan.Directions().Row + plan.Directions().Column) * (float)(plan.Size / 2.0 * plan.PixelSpacingMm));
        var baseLevel = Math.Clamp((-centre.Z - 12) / 25, 0, 1); // 0 above the skull base, 1 deep in it
        if (dense.Count < 20 || baseLevel <= 0) return;
        var lines = plan.Ranges.StreakLines.DrawInt(rng);
        for (var s = 0; s < lines; s++)
        {
            var a = dense[rng.Int(dense.Count)];
            var b = dense[rng.Int(dense.Count)];
            var pa = new Vector2(a % n, a / n);
            var pb = new Vector2(b % n, b / n);
            var dist = Vector2.Distance(pa, pb);
            if (dist < n / 10f || dist > n / 2.5f) continue;
            var amplitude = plan.StreakStrength * baseLevel * (rng.Chance(0.75) ? -rng.Uniform(8, 30) : rng.Uniform(5, 15));
            var width = rng.Uniform(1, 3.5) * n / 512f;
            DrawBand(hu, n, pa, pb, (float)amplitude, width);
        }
    }

    private static void DrawBand(float[] hu, int n, Vector2 a, Vector2 b, float amplitude, float width)
    {
        var dir = Vector2.Normalize(b - a);
        var length = Vector2.Distance(a, b);
        a -= dir * length * 0.2f; // streaks run a little beyond the bones that cause them
        length *= 1.4f;
        var pad = width * 3;
        int x0 = (int)Math.Max(0, MathF.Min(a.X, a.X + dir.X * length) - pad), x1 = (int)Math.Min(n - 1, MathF.Max(a.X, a.X + dir.X * length) + pad);
        int y0 = (int)Math.Max(0, MathF.Min(a.Y, a.Y + dir.Y * length) - pad), y1 = (int)Math.Min(n - 1, MathF.Max(a.Y, a.Y + dir.Y * length) + pad);
        var inv = 1 / (2 * width * width);
        for (var y = y0; y <= y1; y++)
            for (var x = x0; x <= x1; x++)
            {
                var d = new Vector2(x, y) - a;
                var t = Vector2.Dot(d, dir);
                if (t < 0 || t > length) continue;
                var perp = d.X * dir.Y - d.Y * dir.X;
                var idx = y * n + x;
                if (hu[idx] < -400 || hu[idx] > 1000) continue;
                var along = MathF.Sin(MathF.PI * t / length);
                hu[idx] += amplitude * along * MathF.Exp(-perp * perp * inv);
            }
    }

    /// <summary>Patient motion: a faint shifted copy of the slice (double contours) and a few streaks.</summary>
    private static void Ghost(float[] hu, int n, SynthRandom rng)
    {
        var dx = rng.Int(5) - 2; var dy = 1 + rng.Int(3);
        var w = rng.Uniform(0.15, 0.35);
        var copy = (float[])hu.Clone();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var si = Math.Clamp(i + dy, 0, n - 1); var sj = Math.Clamp(j + dx, 0, n - 1);
                hu[i * n + j] = (1 - w) * copy[i * n + j] + w * copy[si * n + sj];
            }
        for (var s = 0; s < 3; s++)
            DrawBand(hu, n, new Vector2(rng.Uniform(0, n), rng.Uniform(0, n)), new Vector2(rng.Uniform(0, n), rng.Uniform(0, n)), rng.Uniform(-25, 25), 1.5f * n / 512f);
    }

    // Standard deviation of unit white noise after p separable [1 2 1]/4 passes: C(4p, 2p) / 16^p. The 2-pass value
    // keeps the rounded constant the generator always used (Standard output must not change).
    private static readonly float[] GrainStd = [1f, 0.375f, 0.2734f, 0.2256f, 0.1964f, 0.1762f];

    /// <summary>
    /// Gaussian noise smoothed by <see cref="ScanPlan.NoiseGrainPasses"/> [1 2 1] passes (CT noise is spatially
    /// correlated; the texture varies with the kernel), scaled to the plan's σ, stronger at skull-base levels.
    /// </summary>
    private static void Noise(ScanPlan plan, int k, float[] hu, int n, SynthRandom rng)
    {
        var centre = plan.ToHead(plan.ImagePosition(k) + (plan.Directions().Row + plan.Directions().Column) * (float)(plan.Size / 2.0 * plan.PixelSpacingMm));
        var sigma = plan.NoiseHu * (1 + 0.6f * Math.Clamp((-centre.Z - 20) / 40, 0, 1));
        // Thin slabs collect fewer photons: noise grows roughly with 1/sqrt(thickness) relative to 5 mm.
        sigma *= (float)Math.Sqrt(5 / Math.Max(plan.ThicknessMm, 1.25)) * 0.6f + 0.4f;
        var noise = new float[hu.Length];
        for (var i = 0; i < noise.Length; i++) noise[i] = rng.FastNormal();
        for (var pass = 0; pass < plan.NoiseGrainPasses; pass++) Blur121(noise, n);
        var scale = sigma / GrainStd[plan.NoiseGrainPasses] * (plan.Size / 512f);
        for (var i = 0; i < hu.Length; i++) hu[i] += noise[i] * scale;
    }
}
