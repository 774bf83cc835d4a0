using Ich.Model.Cnn;
using Ich.Model.Explain;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Explain;

public class GradCamTests
{
    /// <summary>
    /// A = first two input channels as they are (mean 0, std 1, no weights); head: pooled_k = mean_ij (A_ij^k)²,
    /// logits = W · pooled + b. Then ∂y^c/∂A_ij^k = W_ck · 2 A_ij^k / (h·w), so everything is computable by hand.
    /// </summary>
    private sealed class SquarePoolNet : SliceCnn
    {
        private readonly float[,] _w;

        public SquarePoolNet(float[,] w) : base("SquarePoolNet", "square", 2, [0, 0, 0], [1, 1, 1]) => _w = w;

        protected override Tensor Body(Tensor normalized) => normalized[TensorIndex.Colon, TensorIndex.Slice(0, 2)];

        public override (Tensor Logits, Tensor Features) Head(Tensor featureMap)
        {
            var pooled = featureMap.square().mean([2, 3]);                 // [N, 2]
            var w = tensor(Flatten(_w), new long[] { 6, 2 });
            return (pooled.matmul(w.t()) + 0.1f, pooled);
        }

        private static float[] Flatten(float[,] a) => a.Cast<float>().ToArray();
    }

    private static readonly float[,] W = { { 1, -2 }, { 0.5f, 1 }, { -1, -1 }, { 2, 0 }, { 0, 3 }, { -0.5f, 0.25f } };

    // Input [1, 3, 2, 2]: channel 0, channel 1, channel 2 (unused).
    private static readonly float[] A0 = [1, 2, 3, 4];
    private static readonly float[] A1 = [0.5f, 0, 1, 2];
    private static float[] Input() => A0.Concat(A1).Concat(new float[] { 9, 9, 9, 9 }).ToArray();

    private static float[] HandCam(int c)
    {
        // α_k = (1/Z) Σ_ij W_ck · 2 A_ij^k / (h·w), Z = h·w = 4  →  α_k = W_ck · Σ_ij A_ij^k / 8.
        var alpha0 = W[c, 0] * A0.Sum() / 8f;
        var alpha1 = W[c, 1] * A1.Sum() / 8f;
        return Enumerable.Range(0, 4).Select(i => Math.Max(0f, alpha0 * A0[i] + alpha1 * A1[i])).ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void Compute_SquarePoolNet_MatchesHandComputationAtFeatureResolution(int c)
    {
        using var net = new SquarePoolNet(W);
        net.eval();
        var maps = GradCam.Compute(net, Input(), 2, [new GradCamRequest(0, c)], 2, 2);
        var expected = HandCam(c);
        Assert.Equal(expected.Length, maps[0].Values.Length);
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], maps[0].Values[i], 5);
    }

    [Fact]
    public void Compute_NegativeEvidenceClass_IsClippedToZeroByReLU()
    {
        using var net = new SquarePoolNet(W);
        net.eval();
        // Class 2 has W = (-1, -1): every α is negative, so ReLU leaves nothing.
        var map = GradCam.Compute(net, Input(), 2, [new GradCamRequest(0, 2)], 2, 2)[0];
        Assert.All(map.Values, v => Assert.Equal(0f, v));
        Assert.All(HandCam(2), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Compute_UpsampledToFour_IsBilinearWithHalfPixelCentres()
    {
        using var net = new SquarePoolNet(W);
        net.eval();
        var low = HandCam(3); // [[a, b], [c, d]]
        var map = GradCam.Compute(net, Input(), 2, [new GradCamRequest(0, 3)], 4, 4)[0];
        // Row 0 of a 2→4 bilinear upsampling (align_corners = false): a, 0.75a + 0.25b, 0.25a + 0.75b, b.
        float[] row0 = [low[0], 0.75f * low[0] + 0.25f * low[1], 0.25f * low[0] + 0.75f * low[1], low[1]];
        for (var x = 0; x < 4; x++) Assert.Equal(row0[x], map.Values[x], 5);
        // Row 1 sits a quarter of the way from input row 0 to input row 1.
        var leftRow1 = 0.75f * low[0] + 0.25f * low[2];
        Assert.Equal(leftRow1, map.Values[4], 5);
    }

    [Fact]
    public void Compute_TwoSlicesTwoClasses_EachMapMatchesItsOwnSlice()
    {
        using var net = new SquarePoolNet(W);
        net.eval();
        var other = A1.Concat(A0).Concat(new float[] { 0, 0, 0, 0 }).ToArray(); // channels swapped
        var batch = Input().Concat(other).ToArray();
        var maps = GradCam.Compute(net, batch, 2, [new GradCamRequest(0, 1), new GradCamRequest(1, 1), new GradCamRequest(1, 4)], 2, 2);
        var single = GradCam.Compute(net, other, 2, [new GradCamRequest(0, 1), new GradCamRequest(0, 4)], 2, 2);
        Assert.Equal(HandCam(1), maps[0].Values.Select(v => (float)Math.Round(v, 5)).ToArray(), (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(single[0].Values, maps[1].Values);
        Assert.Equal(single[1].Values, maps[2].Values);
        Assert.Equal(1, maps[2].Slice);
        Assert.Equal(4, maps[2].ClassIndex);
    }
}
