using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The training batch with bleed insertion: off, it is exactly the slice cache (so existing configs are
/// unchanged); on, negative slices become positives of one subtype whose image really changed and whose
/// mask is non-empty, reproducibly for a seed.
/// </summary>
public class TrainingBatchTests
{
    // TinyScans at 256 px with 0.9 mm assumed spacing: a 93 mm-radius skull, enough for every subtype's geometry.
    private static readonly BleedInsertionConfig On = new() { Probability = 1, AssumedSpacingMm = 0.9 };

    private static SliceTable NegativeTable()
    {
        var negative = TinyScans.Make(2, 4, size: 256, seed: 4)[1];
        Assert.All(negative.Slices, s => Assert.Equal(0f, s.Labels![0]));
        return new SliceTable([negative], 64);
    }

    [Fact]
    public void InsertionOff_BatchIsTheSliceCacheAndItsLabels()
    {
        var table = NegativeTable();
        int[] idx = [0, 1, 2, 3];
        var batch = TrainingBatch.Build(table, idx, new BleedInsertionConfig(), null, new Random(1));
        using var scope = NewDisposeScope();
        Assert.Equal(Augmenter.Stack(table, idx, CPU).data<float>().ToArray(), batch.Images);
        Assert.All(batch.Labels, v => Assert.Equal(0f, v));
        Assert.Equal(0, batch.Inserted);
        Assert.All(batch.MaskWeights, w => Assert.Equal(1f, w)); // negatives: the empty mask is known
        Assert.All(batch.Masks, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void InsertionOn_NegativesBecomeLabelledBleedsWithMasks_Reproducibly()
    {
        var table = NegativeTable();
        int[] idx = [0, 1, 2, 3];
        var batch = TrainingBatch.Build(table, idx, On, null, new Random(5));
        Assert.Equal(4, batch.Inserted);
        var plane = 3 * 64 * 64;
        for (var b = 0; b < 4; b++)
        {
            var labels = batch.Labels.Skip(b * 6).Take(6).ToArray();
            Assert.Equal(1f, labels[0]);
            Assert.Equal(1, labels.Skip(1).Count(v => v == 1f));
            var original = table.Image(idx[b]);
            Assert.Contains(Enumerable.Range(0, plane), k => Math.Abs(batch.Images[b * plane + k] - original[k] / 255f) > 0.02f);
            Assert.True(batch.Masks.Skip(b * 64 * 64).Take(64 * 64).Sum() > 0.5f, $"sample {b}: empty mask");
        }
        var again = TrainingBatch.Build(table, idx, On, null, new Random(5));
        Assert.Equal(batch.Images, again.Images);
        Assert.Equal(batch.Labels, again.Labels);
    }
}
