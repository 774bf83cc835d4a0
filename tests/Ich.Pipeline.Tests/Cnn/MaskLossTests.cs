using Ich.Imaging;
using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// Dense supervision smoke tests: one joint training step with known masks lowers the mask loss, and a sample
/// whose mask is unknown (weight 0) contributes exactly zero — its target can be anything without changing a
/// single bit of any parameter gradient, and the loss gradient on its own mask logits is exactly 0.
/// </summary>
public class MaskLossTests
{
    private const int Size = 64;

    /// <summary>Four slices (two with a 70 HU blob) and their blob masks on the network grid.</summary>
    private static (Tensor X, Tensor Masks) Batch()
    {
        var scans = TinyScans.Make(2, 2, size: 64, seed: 8); // scan 0 positive, scan 1 negative
        var slices = scans.SelectMany(s => s.Slices).ToList();
        var table = new SliceTable(scans, Size);
        var x = Augmenter.Stack(table, Enumerable.Range(0, slices.Count).ToArray(), CPU);
        var masks = new List<float>();
        foreach (var slice in slices)
        {
            var hu = slice.LoadHu();
            masks.AddRange(Resample.Bilinear(hu.Pixels.Select(v => v == 70f ? 1f : 0f).ToArray(), hu.Width, hu.Height, Size, Size));
        }
        Assert.True(masks.Sum() > 10, "the fixture should contain blob pixels");
        return (x, tensor(masks.ToArray(), [slices.Count, 1, Size, Size]));
    }

    [Fact]
    public void OneJointStep_WithKnownMasks_LowersTheMaskLoss()
    {
        using var scope = NewDisposeScope();
        var (x, masks) = Batch();
        var weights = ones(4);
        using var model = CnnFactory.Create("small", seed: 2);
        using var decoder = new SegmentationDecoder(model.FeatureDim, seed: 3);
        model.train();
        using var optimizer = optim.Adam(model.parameters().Concat(decoder.parameters()), 1e-3);
        double MaskLossNow()
        {
            using var _ = no_grad();
            return MaskLoss.Compute(decoder.call(model.FeatureMap(x)), masks, weights).item<float>();
        }
        var before = MaskLossNow();
        optimizer.zero_grad();
        MaskLoss.Compute(decoder.call(model.FeatureMap(x)), masks, weights).backward();
        optimizer.step();
        var after = MaskLossNow();
        Assert.True(after < before, $"mask loss {before:F5} → {after:F5} after one step");
        Assert.InRange(before, 0.05, 5);
    }

    [Fact]
    public void UnknownMask_ZeroWeight_ContributesExactlyZeroGradient()
    {
        using var scope = NewDisposeScope();
        var (x, masks) = Batch();
        var weights = tensor(new float[] { 1, 1, 0, 0 });
        using var model = CnnFactory.Create("small", seed: 2);
        using var decoder = new SegmentationDecoder(model.FeatureDim, seed: 3);
        model.train();

        float[] Gradients(Tensor targets)
        {
            foreach (var p in model.parameters().Concat(decoder.parameters())) p.grad?.zero_();
            MaskLoss.Compute(decoder.call(model.FeatureMap(x)), targets, weights).backward();
            // The classifier head takes no part in the mask loss: its parameters have no gradient at all.
            return model.parameters().Concat(decoder.parameters()).Where(p => p.grad is not null).SelectMany(p => p.grad!.data<float>().ToArray()).ToArray();
        }
        var original = Gradients(masks);
        // Samples 2 and 3 (weight 0) get arbitrary targets: random values instead of their masks.
        var scrambled = masks.clone();
        scrambled.narrow(0, 2, 2).copy_(rand([2, 1, Size, Size], generator: new Generator(7)));
        var changed = Gradients(scrambled);
        Assert.Equal(original.Length, changed.Length);
        Assert.Equal(0, Enumerable.Range(0, original.Length).Count(i => BitConverter.SingleToInt32Bits(original[i]) != BitConverter.SingleToInt32Bits(changed[i])));
        Assert.Contains(original, g => g != 0f);

        // On the mask logits themselves: gradient exactly 0 for the weight-0 samples, non-zero for the others.
        var logits = decoder.call(model.FeatureMap(x)).detach().requires_grad_(true);
        MaskLoss.Compute(logits, scrambled, weights).backward();
        var g = logits.grad!;
        Assert.Equal(0f, g.narrow(0, 2, 2).abs().max().item<float>());
        Assert.True(g.narrow(0, 0, 2).abs().max().item<float>() > 0f);
    }
}
