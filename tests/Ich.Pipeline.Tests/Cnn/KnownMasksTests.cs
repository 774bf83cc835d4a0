using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Imaging;
using Ich.Synth;
using Ich.TestKit;
using Ich.Training.Cnn;
using SkiaSharp;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// <see cref="KnownMasks"/> finds the masks the datasets ship: PhysioNet's <c>_HGE_Seg.png</c> beside the JPG
/// (blood area preserved by the resize; negatives and mask-less positives have none) and the phantoms'
/// <c>.ichmask</c> joined by SOPInstanceUID (a slice's mask is non-empty exactly when the slice is labelled).
/// </summary>
public class KnownMasksTests
{
    [SkippableFact]
    public void PhysioNet_MaskPngBesideJpg_ResizedWithItsArea_NegativesHaveNone()
    {
        var root = RepoPaths.RequireShared("physionet-ctich");
        var load = DatasetCatalog.Open(DatasetKind.PhysioNet, root);
        var scan = load.Scans.First(s => s.Slices.Any(x => File.Exists(x.SourcePath![..^4] + "_HGE_Seg.png")));
        const int size = 128;
        var table = new SliceTable([scan], size);
        var masks = new KnownMasks();
        var withMask = Enumerable.Range(0, scan.Slices.Count).First(i => File.Exists(scan.Slices[i].SourcePath![..^4] + "_HGE_Seg.png"));
        var negative = Enumerable.Range(0, scan.Slices.Count).FirstOrDefault(i => scan.Slices[i].Labels![0] == 0f, -1);

        var found = masks.Find(table, withMask)!.Blood;
        Assert.Null(masks.Find(table, withMask)!.Subtypes); // real masks are blood only
        Assert.Equal(size * size, found.Length);
        using var png = SKBitmap.Decode(scan.Slices[withMask].SourcePath![..^4] + "_HGE_Seg.png");
        var blood = 0;
        for (var y = 0; y < png.Height; y++)
            for (var x = 0; x < png.Width; x++) if (png.GetPixel(x, y).Red >= 128) blood++;
        var expected = blood * (double)size * size / (png.Width * png.Height);
        Assert.True(blood > 0);
        Assert.InRange(found.Sum(), expected * 0.95, expected * 1.05);
        if (negative >= 0) Assert.Null(masks.Find(table, negative));
    }

    [Fact]
    public void Phantom_IchmaskJoinedBySopUid_NonEmptyExactlyOnLabelledSlices()
    {
        var dir = RepoPaths.NewTempDir("ich-masks");
        try
        {
            var scans = WriteBleedingPhantoms(dir);
            var table = new SliceTable(scans, 64);
            var masks = new KnownMasks();
            var positives = 0;
            for (var i = 0; i < table.Slices.Count; i++)
            {
                var m = masks.Find(table, i)?.Blood;
                Assert.NotNull(m);
                if (table.IsPositive(i)) { positives++; Assert.True(m!.Sum() > 0, $"labelled slice {i} has an empty mask"); }
                else Assert.True(m!.Sum() < 0.5f, $"negative slice {i} has mask area {m.Sum()}");
            }
            Assert.True(positives > 0);

            // Through the head frame: the same mask, moved and magnified exactly as the frame moves the image.
            var framed = new SliceTable(scans, 64, InputFraming.Head);
            var framedMasks = new KnownMasks();
            var slice = Enumerable.Range(0, table.Slices.Count).Where(table.IsPositive).MaxBy(i => masks.Find(table, i)!.Blood.Sum());
            var frame = framed.Frame(table.Slices[slice].Scan);
            Assert.Equal(HeadFrameKind.Head, frame.Kind);
            var region = frame.Region(64, 64); // the phantom slices are 64 px: slice grid = field network grid
            var field = masks.Find(table, slice)!.Blood;
            var head = framedMasks.Find(framed, slice)!.Blood;
            var scale = 64 / region.Width;
            Assert.Equal(field.Sum() * scale * scale, head.Sum(), field.Sum() * scale * scale * 0.15);
            var (fx, fy) = Centroid(field);
            var (hx, hy) = Centroid(head);
            Assert.Equal((fx + 0.5 - region.Left) * scale - 0.5, hx, 1.0);
            Assert.Equal((fy + 0.5 - region.Top) * scale - 0.5, hy, 1.0);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Phantom_WithSubtypes_EachSubtypeMaskIsItsOwnShareOfTheBlood_AndPresentExactlyWhereLabelled()
    {
        var dir = RepoPaths.NewTempDir("ich-masks-subtypes");
        try
        {
            var table = new SliceTable(WriteBleedingPhantoms(dir), 64);
            var plain = new KnownMasks();
            var withSubtypes = new KnownMasks(subtypes: true);
            var checkedSubtypes = 0;
            for (var i = 0; i < table.Slices.Count; i++)
            {
                var m = withSubtypes.Find(table, i)!;
                Assert.Null(plain.Find(table, i)!.Subtypes);
                Assert.Equal(plain.Find(table, i)!.Blood, m.Blood);
                Assert.Equal(5, m.Subtypes!.Length);
                var labels = table.Slices[i].Labels!;
                for (var t = 0; t < 5; t++)
                {
                    // A labelled subtype has its own non-empty mask (the label rule counts its area); no subtype lies outside the blood.
                    if (labels[1 + t] >= 0.5f) { Assert.NotNull(m.Subtypes[t]); Assert.True(m.Subtypes[t]!.Sum() > 0); checkedSubtypes++; }
                    if (m.Subtypes[t] is { } own) Assert.All(Enumerable.Range(0, own.Length), p => Assert.True(own[p] <= m.Blood[p] + 1e-5f));
                }
                // The subtypes together cover the blood (they may overlap where bleeds touch).
                var covered = Enumerable.Range(0, m.Blood.Length).Sum(p => Math.Min(1f, m.Subtypes.Where(x => x is not null).Sum(x => x![p])));
                Assert.True(covered >= m.Blood.Sum() - 1e-3, $"slice {i}: subtypes cover {covered} of blood {m.Blood.Sum()}");
            }
            Assert.True(checkedSubtypes > 0);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>64-px phantoms 0..k of seed 3, k the first that bleeds, so the dataset holds at least one bleeding scan.</summary>
    private static IReadOnlyList<Ich.Core.Scans.ScanRecord> WriteBleedingPhantoms(string dir)
    {
        var options = new SynthOptions { Seed = 3, Size = 64, ThicknessMm = 5 };
        var index = Enumerable.Range(0, 40).First(i => PhantomGenerator.Labels(options, i).Any);
        PhantomGenerator.Write(options, dir, index + 1);
        return DatasetCatalog.Open(DatasetKind.Phantom, dir).Scans;
    }

    private static (double X, double Y) Centroid(float[] map)
    {
        double sx = 0, sy = 0, total = 0;
        for (var i = 0; i < map.Length; i++) { sx += map[i] * (i % 64); sy += map[i] * (i / 64); total += map[i]; }
        return (sx / total, sy / total);
    }
}
