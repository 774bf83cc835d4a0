using System.Buffers.Binary;
using Ich.Core.Errors;
using Ich.TestKit;
using Ich.Training.Features;

namespace Ich.Pipeline.Tests.Cnn;

public class FeatureStoreTests
{
    [Fact]
    public void WriteThenOpen_TwoScans_RoundTripsIndexFeaturesAndProbs()
    {
        var dir = RepoPaths.NewTempDir();
        using (var w = new FeatureStoreWriter(dir, "small", 3, FeatureStoreMeta.KindOof, tta: 2, imageSize: 64, folds: 5))
        {
            w.AppendScan("phantom", "p,1", "s1",
                [new FeatureSlice("a", 0, 1.5, [1, 0, 1, 0, 0, 0]), new FeatureSlice("b", 1, double.NaN, [0, 0, 0, 0, 0, 0])],
                fold: 3, features: new float[] { 0.5f, 1, 2, 3, 4, 65504 }, probs: Enumerable.Range(0, 12).Select(i => i / 12f).ToArray());
            w.AppendScan("phantom", "p2", "s2", [new FeatureSlice("c", 4, -2, null)], -1,
                new float[] { -1, 0.25f, 7 }, new float[] { 1, 1, 1, 1, 1, 1 });
            w.Complete();
        }
        var header = File.ReadLines(Path.Combine(dir, "index.csv")).First();
        Assert.Equal("row,dataset,patient_id,scan_id,slice_id,slice_index,z_mm,fold,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural", header);
        Assert.Equal(9L * 2, new FileInfo(Path.Combine(dir, "features.f16")).Length);
        // Raw little-endian half: value 65504 (max half) at row 1, column 2 → bytes FF 7B.
        var raw = File.ReadAllBytes(Path.Combine(dir, "features.f16"));
        Assert.Equal(0xFF, raw[10]);
        Assert.Equal(0x7B, raw[11]);

        var store = FeatureStore.Open(dir);
        Assert.Equal(new FeatureStoreMeta("small", 3, 3, "oof", 2, 64, 5), store.Meta);
        Assert.Equal(2, store.Scans.Count);
        Assert.Equal(new FeatureScan("phantom", "p,1", "s1", 0, 2), store.Scans[0]);
        Assert.Equal(new float[] { 0.5f, 1, 2, 3, 4, 65504 }, store.ReadFeatures(store.Scans[0]));
        Assert.Equal(new float[] { -1, 0.25f, 7 }, store.ReadFeatures(store.Scans[1]));
        Assert.Equal(5 / 12f, store.ReadProbs(0, 1)[5]);
        Assert.True(double.IsNaN(store.Rows[1].ZMm));
        Assert.Null(store.Rows[2].Labels);
        Assert.Equal(-1, store.Rows[2].Fold);
        Assert.Equal(3, store.Rows[0].Fold);
        Assert.Equal(new float[] { 1, 0, 1, 0, 0, 0 }, store.Rows[0].Labels);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Open_TruncatedProbs_ThrowsDatasetFormatException()
    {
        var dir = RepoPaths.NewTempDir();
        using (var w = new FeatureStoreWriter(dir, "small", 2, "test", 1, 64, 1))
        {
            w.AppendScan("d", "p", "s", [new FeatureSlice("a", 0, 0, null)], -1, new float[] { 1, 2 }, new float[6]);
            w.Complete();
        }
        File.WriteAllBytes(Path.Combine(dir, "probs.f32"), new byte[8]);
        var ex = Assert.Throws<DatasetFormatException>(() => FeatureStore.Open(dir));
        Assert.Contains("probs.f32", ex.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void AppendScan_SliceIndicesNotIncreasing_Throws()
    {
        var dir = RepoPaths.NewTempDir();
        using var w = new FeatureStoreWriter(dir, "small", 1, "test", 1, 64, 1);
        Assert.Throws<ArgumentException>(() => w.AppendScan("d", "p", "s",
            [new FeatureSlice("a", 1, 0, null), new FeatureSlice("b", 1, 0, null)], -1, new float[2], new float[12]));
    }
}
