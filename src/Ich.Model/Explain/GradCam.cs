using Ich.Model.Cnn;
using static TorchSharp.torch;

namespace Ich.Model.Explain;

/// <summary>One Grad-CAM request: slice <see cref="Slice"/> of the batch, class <see cref="ClassIndex"/>.</summary>
public readonly record struct GradCamRequest(int Slice, int ClassIndex);

/// <summary>A Grad-CAM map as plain floats, row-major [Height, Width], ≥ 0 (not normalised).</summary>
public sealed record GradCamMap(int Slice, int ClassIndex, int Width, int Height, float[] Values)
{
    public float Max => Values.Length == 0 ? 0 : Values.Max();
}

/// <summary>
/// Grad-CAM as Wang et al. 2021 eq. (2)–(3) (Selvaraju et al. 2017) on a <see cref="SliceCnn"/>'s last
/// convolutional feature map A (<see cref="SliceCnn.FeatureMap"/>): α_k^c = (1/Z) Σ_ij ∂y^c/∂A_ij^k with
/// y^c the class logit and Z = h·w the number of positions of one feature map; L^c = ReLU(Σ_k α_k^c A^k);
/// then bilinear upsampling (align_corners = false) to the requested size. Arrays in, arrays out.
/// </summary>
public static class GradCam
{
    /// <param name="cnn">The network, in eval mode (its BatchNorm must use running statistics).</param>
    /// <param name="inputs">[N, 3, S, S] network inputs in [0, 1], row-major (NetworkInput layout, N slices back to back).</param>
    /// <param name="size">S, the input side.</param>
    /// <param name="requests">Which (slice, class) maps to compute.</param>
    /// <param name="outWidth">Width of the returned maps.</param>
    /// <param name="outHeight">Height of the returned maps.</param>
    /// <param name="device">Device of the network (CPU when null).</param>
    /// <returns>One map per request, in request order.</returns>
    public static IReadOnlyList<GradCamMap> Compute(SliceCnn cnn, float[] inputs, int size, IReadOnlyList<GradCamRequest> requests,
        int outWidth, int outHeight, Device? device = null)
    {
        var plane = 3 * size * size;
        if (inputs.Length % plane != 0) throw new ArgumentException($"inputs must be [N, 3, {size}, {size}]", nameof(inputs));
        var n = inputs.Length / plane;
        if (requests.Any(r => r.Slice < 0 || r.Slice >= n || r.ClassIndex is < 0 or >= Ich.Core.HemorrhageClasses.Count))
            throw new ArgumentOutOfRangeException(nameof(requests), "request outside the batch or the six classes");
        var result = new GradCamMap[requests.Count];
        if (requests.Count == 0) return result;

        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var x = tensor(inputs, new long[] { n, 3, size, size }, device: device);
        var a = cnn.FeatureMap(x);                    // [N, K, h, w]
        if (!a.requires_grad) a = a.detach().requires_grad_(true);
        var logits = cnn.Head(a).Logits;              // [N, 6]
        var byClass = requests.Select((r, i) => (r, i)).GroupBy(t => t.r.ClassIndex).ToList();
        for (var g = 0; g < byClass.Count; g++)
        {
            var group = byClass[g].ToList();
            var c = byClass[g].Key;
            // Slices are independent in eval mode, so one backward of the sum gives every slice's ∂y^c/∂A.
            var slices = group.Select(t => (long)t.r.Slice).Distinct().ToArray();
            var y = logits.index_select(0, tensor(slices)).select(1, c).sum();
            var dA = autograd.grad([y], [a], retain_graph: g < byClass.Count - 1)[0];
            var alpha = dA.mean([2, 3], keepdim: true);                               // eq. (2), Z = h·w
            var cam = nn.functional.relu((alpha * a.detach()).sum(1, keepdim: true)); // eq. (3), [N, 1, h, w]
            var up = nn.functional.interpolate(cam, [outHeight, outWidth], mode: InterpolationMode.Bilinear, align_corners: false);
            foreach (var (r, i) in group)
                result[i] = new GradCamMap(r.Slice, c, outWidth, outHeight, up[r.Slice, 0].cpu().contiguous().data<float>().ToArray());
        }
        return result;
    }
}
