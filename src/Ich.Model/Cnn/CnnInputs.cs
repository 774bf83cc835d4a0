using static TorchSharp.torch;

namespace Ich.Model.Cnn;

/// <summary>
/// The exact input path of training, validation and inference, in one place: three-window images
/// (<c>Ich.Imaging.NetworkInput.FromHu</c>, [3, S, S] in [0, 1]) are quantised to 1/255 (as the cached
/// training images and the winning code's 8-bit PNGs), stacked, and for evaluation centre-cropped by the
/// model's <c>valCenterCrop</c> (0.8 by default) and resized back — the scale the CNN was validated at.
/// </summary>
public static class CnnInputs
{
    /// <summary>Quantises a [0, 1] value to a byte as training caches it.</summary>
    public static byte ToByte(float v) => (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);

    /// <summary><see cref="ToByte"/> of every value.</summary>
    public static byte[] ToBytes(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length];
        for (var k = 0; k < values.Length; k++) bytes[k] = ToByte(values[k]);
        return bytes;
    }

    /// <summary>[N, 3, S, S] tensor from N network images of length 3·S·S, quantised to 1/255.</summary>
    public static Tensor Stack(IReadOnlyList<float[]> images, int size, Device? device = null)
    {
        var plane = 3 * size * size;
        var data = new float[images.Count * plane];
        for (var b = 0; b < images.Count; b++)
        {
            if (images[b].Length != plane)
                throw new Ich.Core.Errors.ModelInputException($"image {b} has {images[b].Length} values, expected 3×{size}×{size}");
            for (var k = 0; k < plane; k++) data[b * plane + k] = ToByte(images[b][k]) * (1f / 255f);
        }
        var t = tensor(data, [images.Count, 3, size, size]);
        return device is null ? t : t.to(device);
    }

    /// <summary>Centre crop of side <paramref name="ratio"/> resized back to the input size (bilinear, align_corners false).</summary>
    public static Tensor CenterCrop(Tensor batch, double ratio)
    {
        if (ratio >= 1) return batch.alias();
        var n = batch.shape[0];
        var theta = new float[n * 6];
        for (var b = 0; b < n; b++) { theta[b * 6] = (float)ratio; theta[b * 6 + 4] = (float)ratio; }
        using var t = tensor(theta, [n, 2, 3]).to(batch.device);
        using var grid = nn.functional.affine_grid(t, batch.shape, align_corners: false);
        return nn.functional.grid_sample(batch, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>Network input for evaluation: <see cref="Stack"/> then <see cref="CenterCrop"/>.</summary>
    public static Tensor ForEvaluation(IReadOnlyList<float[]> images, int size, double centerCrop, Device? device = null)
    {
        using var stacked = Stack(images, size, device);
        return CenterCrop(stacked, centerCrop);
    }
}
