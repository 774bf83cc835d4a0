using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// Builds network batches from cached slice bytes and applies the geometric augmentations as one
/// <c>affine_grid</c> + <c>grid_sample</c> per batch (bilinear, zero border), then random erasing.
/// The per-sample transform composes, from output to input: random crop (side U(cropMin, cropMax),
/// resized back) ∘ inverse of shift/scale/aspect/rotation ∘ horizontal flip. Erasing is applied in the
/// output frame. All randomness comes from a <see cref="Random"/> the caller seeds by position, so
/// batches are reproducible and resumable.
/// </summary>
public static class Augmenter
{
    /// <summary>[B, 3, S, S] float tensor in [0, 1] from cached bytes.</summary>
    public static Tensor Stack(SliceTable table, IReadOnlyList<int> indices, Device device)
    {
        var s = table.ImageSize;
        var plane = 3 * s * s;
        var data = new float[indices.Count * plane];
        for (var b = 0; b < indices.Count; b++)
        {
            var img = table.Image(indices[b]);
            for (var k = 0; k < plane; k++) data[b * plane + k] = img[k] * (1f / 255f);
        }
        return tensor(data, [indices.Count, 3, s, s]).to(device);
    }

    /// <summary>Training augmentation of a batch [B, 3, S, S].</summary>
    public static Tensor Train(Tensor batch, AugmentConfig a, Random rng)
    {
        if (!a.Enabled) return batch;
        var n = (int)batch.shape[0];
        var thetas = new double[n][];
        for (var b = 0; b < n; b++)
        {
            var flip = rng.NextDouble() < a.HFlipP;
            double[,] m = Identity();
            if (rng.NextDouble() < a.AffineP)
            {
                var angle = (rng.NextDouble() * 2 - 1) * a.RotationDeg * Math.PI / 180;
                var scale = 1 + (rng.NextDouble() * 2 - 1) * a.Scale;
                var aspect = 1 + (rng.NextDouble() * 2 - 1) * a.Aspect;
                var tx = (rng.NextDouble() * 2 - 1) * a.Shift * 2; // fraction of the side → normalised [-1, 1] units
                var ty = (rng.NextDouble() * 2 - 1) * a.Shift * 2;
                m = InverseSimilarity(angle, scale * aspect, scale / aspect, tx, ty);
            }
            var r = a.CropMin + rng.NextDouble() * (a.CropMax - a.CropMin);
            var cx = (rng.NextDouble() * 2 - 1) * (1 - r);
            var cy = (rng.NextDouble() * 2 - 1) * (1 - r);
            var crop = new double[,] { { r, 0, cx }, { 0, r, cy }, { 0, 0, 1 } };
            var full = Mul(m, crop);
            if (flip) full = Mul(new double[,] { { -1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }, full);
            thetas[b] = [full[0, 0], full[0, 1], full[0, 2], full[1, 0], full[1, 1], full[1, 2]];
        }
        var warped = Warp(batch, thetas);
        if (a.ErasingP <= 0) return warped;
        var mask = ErasingMask(n, (int)batch.shape[2], a, rng);
        using var m2 = tensor(mask, [n, 1, batch.shape[2], batch.shape[3]]).to(batch.device);
        return warped * m2;
    }

    /// <summary>Centre crop of side <paramref name="ratio"/>, resized back (validation / single-pass inference).</summary>
    public static Tensor CenterCrop(Tensor batch, double ratio) => Ich.Model.Cnn.CnnInputs.CenterCrop(batch, ratio);

    /// <summary>One test-time-augmentation pass (the code's TTA: flip p = 0.5, random crop U(cropMin, cropMax)).</summary>
    public static Tensor Tta(Tensor batch, AugmentConfig a, Random rng)
    {
        var n = (int)batch.shape[0];
        var thetas = new double[n][];
        for (var b = 0; b < n; b++)
        {
            var r = a.CropMin + rng.NextDouble() * (a.CropMax - a.CropMin);
            var cx = (rng.NextDouble() * 2 - 1) * (1 - r);
            var cy = (rng.NextDouble() * 2 - 1) * (1 - r);
            var sx = rng.NextDouble() < 0.5 ? -1 : 1;
            thetas[b] = [sx * r, 0, sx * cx, 0, r, cy];
        }
        return Warp(batch, thetas);
    }

    private static Tensor Warp(Tensor batch, double[][] thetas)
    {
        var flat = thetas.SelectMany(t => t.Select(v => (float)v)).ToArray();
        using var theta = tensor(flat, [thetas.Length, 2, 3]).to(batch.device);
        using var grid = nn.functional.affine_grid(theta, batch.shape, align_corners: false);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>Per sample, with probability p, a rectangle of area U(min, max)·S² and aspect log-U(0.3, 3.33) set to 0.</summary>
    private static float[] ErasingMask(int n, int size, AugmentConfig a, Random rng)
    {
        var mask = new float[n * size * size];
        Array.Fill(mask, 1f);
        for (var b = 0; b < n; b++)
        {
            if (rng.NextDouble() >= a.ErasingP) continue;
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var area = (a.ErasingAreaMin + rng.NextDouble() * (a.ErasingAreaMax - a.ErasingAreaMin)) * size * size;
                var logR = Math.Log(0.3) + rng.NextDouble() * (Math.Log(1 / 0.3) - Math.Log(0.3));
                var ar = Math.Exp(logR);
                var h = (int)Math.Round(Math.Sqrt(area * ar));
                var w = (int)Math.Round(Math.Sqrt(area / ar));
                if (h >= size || w >= size || h < 1 || w < 1) continue;
                var y0 = rng.Next(size - h + 1);
                var x0 = rng.Next(size - w + 1);
                for (var y = y0; y < y0 + h; y++)
                    Array.Fill(mask, 0f, b * size * size + y * size + x0, w);
                break;
            }
        }
        return mask;
    }

    private static double[,] Identity() => new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

    /// <summary>Inverse of x ↦ R(angle)·diag(sx, sy)·x + t, i.e. the output→input map of that forward warp.</summary>
    private static double[,] InverseSimilarity(double angle, double sx, double sy, double tx, double ty)
    {
        var c = Math.Cos(angle);
        var s = Math.Sin(angle);
        // (R·D)^-1 = D^-1·R^T
        double a00 = c / sx, a01 = s / sx, a10 = -s / sy, a11 = c / sy;
        return new double[,] { { a00, a01, -(a00 * tx + a01 * ty) }, { a10, a11, -(a10 * tx + a11 * ty) }, { 0, 0, 1 } };
    }

    private static double[,] Mul(double[,] a, double[,] b)
    {
        var r = new double[3, 3];
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                for (var k = 0; k < 3; k++) r[i, j] += a[i, k] * b[k, j];
        return r;
    }
}
