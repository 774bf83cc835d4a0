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

    [Fact]
    public void SubtypeChannels_InsertedBleed_ItsSubtypeChannelIsTheBlood_TheOthersKnownEmpty_ImagesUnchanged()
    {
        var table = NegativeTable();
        int[] idx = [0, 1, 2, 3];
        var one = TrainingBatch.Build(table, idx, On, null, new Random(5));
        var six = TrainingBatch.Build(table, idx, On, null, new Random(5), maskChannels: 6);

        Assert.Equal(one.Images, six.Images); // the channel count draws nothing from the random stream
        Assert.Equal(one.Labels, six.Labels);
        Assert.Equal(6, six.MaskChannels);
        var area = 64 * 64;
        for (var b = 0; b < 4; b++)
        {
            var blood = one.Masks.Skip(b * area).Take(area).ToArray();
            var subtype = Enumerable.Range(1, 5).Single(c => six.Labels[b * 6 + c] == 1f);
            for (var c = 0; c < 6; c++)
            {
                var channel = six.Masks.Skip((b * 6 + c) * area).Take(area).ToArray();
                Assert.Equal(1f, six.MaskWeights[b * 6 + c]);
                if (c == 0 || c == subtype) Assert.Equal(blood, channel);
                else Assert.All(channel, v => Assert.Equal(0f, v));
            }
        }
        using var scope = NewDisposeScope();
        Assert.Equal([4L, 6, 64, 64], six.MaskTensor(CPU).shape);
        Assert.Equal([4L, 6], six.MaskWeightTensor(CPU).shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingBatch.Build(table, idx, On, null, new Random(5), maskChannels: 2));
    }

    [Fact]
    public void HostDatasets_OnlyTheListedDatasetsGetBleeds()
    {
        var table = NegativeTable(); // dataset "tiny"
        int[] idx = [0, 1, 2, 3];
        var elsewhere = TrainingBatch.Build(table, idx, On with { HostDatasets = ["phantom"] }, null, new Random(5));
        Assert.All(elsewhere.Origins, o => Assert.Equal(SampleOrigin.Slice, o));
        using (NewDisposeScope())
            Assert.Equal(Augmenter.Stack(table, idx, CPU).data<float>().ToArray(), elsewhere.Images);
        Assert.All(elsewhere.Labels, v => Assert.Equal(0f, v));

        var here = TrainingBatch.Build(table, idx, On with { HostDatasets = ["phantom", "tiny"] }, null, new Random(5));
        Assert.All(here.Origins, o => Assert.Equal(SampleOrigin.SyntheticBleed, o));
        // Listing the table's dataset draws exactly the batch an unrestricted config draws.
        Assert.Equal(TrainingBatch.Build(table, idx, On, null, new Random(5)).Images, here.Images);
    }

    /// <summary>
    /// With head framing the bleed is drawn into the full host slice and both the image and its mask go through the host
    /// scan's frame: on the network grid the image changes where the mask is (centroids within 4 of 128 px), and the image is
    /// the framed one (away from the mask it equals the table's framed image). At network size 128 the working resolution
    /// of a framed 256 px slice is the slice itself, so nothing but the bleed can change a pixel (at 64 the host is
    /// resampled once more and the skull edge moves by a few grey levels everywhere).
    /// </summary>
    [Fact]
    public void InsertionOn_HeadFraming_ImageAndMaskGoThroughTheHostFrame()
    {
        var negative = TinyScans.OffCentre(2, 4, size: 256, field: 360, x: 90, y: 20, seed: 4)[1];
        const int side = 128;
        var table = new SliceTable([negative], side, Ich.Core.Scans.InputFraming.Head);
        Assert.Equal(Ich.Imaging.HeadFrameKind.Head, table.Frame(0).Kind);
        int[] idx = [0, 1, 2, 3];
        var batch = TrainingBatch.Build(table, idx, On, null, new Random(5));
        Assert.Equal(4, batch.Inserted);
        const int plane = side * side;
        for (var b = 0; b < 4; b++)
        {
            var original = table.Image(idx[b]);
            var diff = new float[plane];
            for (var k = 0; k < plane; k++)
                for (var c = 0; c < 3; c++)
                    diff[k] = Math.Max(diff[k], Math.Abs(batch.Images[b * 3 * plane + c * plane + k] - original[c * plane + k] / 255f));
            var changed = diff.Select(v => v > 0.02f ? 1f : 0f).ToArray();
            var mask = batch.Masks.Skip(b * plane).Take(plane).ToArray();
            Assert.True(mask.Sum() > 0.5f, $"sample {b}: empty mask");
            Assert.True(changed.Sum() > 0, $"sample {b}: image unchanged");
            var (mx, my) = Centroid(mask, side);
            var (cx, cy) = Centroid(changed, side);
            Assert.True(Math.Abs(mx - cx) < 4 && Math.Abs(my - cy) < 4, $"sample {b}: mask at ({mx:0.0}, {my:0.0}), image changed at ({cx:0.0}, {cy:0.0})");
            // Away from the bleed the sample is the table's framed image (not the field one).
            var far = Enumerable.Range(0, plane).Where(k => !NearMask(mask, side, k % side, k / side, 3)).ToList();
            Assert.True(far.Count(k => changed[k] > 0) < far.Count / 200, $"sample {b}: image changed away from the mask");
        }
    }

    private static bool NearMask(float[] mask, int side, int x, int y, int radius)
    {
        for (var dy = -radius; dy <= radius; dy++)
            for (var dx = -radius; dx <= radius; dx++)
                if (x + dx >= 0 && x + dx < side && y + dy >= 0 && y + dy < side && mask[(y + dy) * side + x + dx] > 0) return true;
        return false;
    }

    private static (double X, double Y) Centroid(float[] map, int side)
    {
        double sx = 0, sy = 0, total = 0;
        for (var i = 0; i < map.Length; i++) { sx += map[i] * (i % side); sy += map[i] * (i / side); total += map[i]; }
        return (sx / total, sy / total);
    }
}

/// <summary>
/// Cut-and-paste of real masked bleeds as training augmentation: donors are exactly the masked positive slices of
/// the training scans given (a scan left out never donates), and a pasted sample carries its donor's labels and a
/// non-empty mask.
/// </summary>
public class BleedPasteTrainingTests
{
    [SkippableFact]
    public void Donors_AreTheMaskedPositivesOfTrainingScansOnly_AndPastedSamplesCarryDonorLabels()
    {
        var root = Ich.TestKit.RepoPaths.RequireShared("physionet-ctich");
        var scans = Ich.Data.Catalog.DatasetCatalog.Open(Ich.Data.Catalog.DatasetKind.PhysioNet, root).Scans;
        var donorScan = scans.First(s => s.Slices.Any(x => File.Exists(x.SourcePath![..^4] + "_HGE_Seg.png")) && s.Slices.Any(x => x.Labels![0] == 0f));
        var otherScan = scans.First(s => s != donorScan && s.Slices.Any(x => File.Exists(x.SourcePath![..^4] + "_HGE_Seg.png")));
        var table = new SliceTable([donorScan, otherScan], 128);

        var donors = BleedDonors.For(table, [0], 0.35);
        var expected = Enumerable.Range(0, donorScan.Slices.Count)
            .Where(i => donorScan.Slices[i].Labels![0] == 1f && File.Exists(donorScan.Slices[i].SourcePath![..^4] + "_HGE_Seg.png")).ToArray();
        Assert.Equal(expected, donors.Indices);
        Assert.Empty(BleedDonors.For(table, [], 0.35).Indices);

        var negatives = Enumerable.Range(0, donorScan.Slices.Count).Where(i => !table.IsPositive(i)).ToArray();
        var paste = new BleedInsertionConfig { Probability = 1, PasteShare = 1, AssumedSpacingMm = 0.35 };
        var batch = TrainingBatch.Build(table, negatives, paste, null, new Random(11), donors);
        Assert.True(batch.Pasted > 0, "no host took a pasted bleed");
        var donorLabels = donors.Indices.Select(i => string.Join(",", table.Slices[i].Labels!)).ToHashSet();
        var size = 128 * 128;
        for (var b = 0; b < negatives.Length; b++)
        {
            var labels = batch.Labels.Skip(b * 6).Take(6).ToArray();
            var mask = batch.Masks.Skip(b * size).Take(size).Sum();
            switch (batch.Origins[b])
            {
                case SampleOrigin.PastedBleed:
                    Assert.Contains(string.Join(",", labels), donorLabels);
                    Assert.True(mask > 0.5f, $"sample {b}: pasted but the mask is empty");
                    break;
                case SampleOrigin.SyntheticBleed: // a host no donor fits: one synthetic subtype
                    Assert.Equal(1f, labels[0]);
                    Assert.Equal(1, labels.Skip(1).Count(v => v == 1f));
                    Assert.True(mask > 0.5f, $"sample {b}: inserted but the mask is empty");
                    break;
                default: // no anatomy to take any bleed: an unchanged negative
                    Assert.All(labels, v => Assert.Equal(0f, v));
                    Assert.Equal(0f, mask);
                    break;
            }
        }
        var again = TrainingBatch.Build(table, negatives, paste, null, new Random(11), donors);
        Assert.Equal(batch.Images, again.Images);
    }
}
