using Ich.Data.Catalog;
using Ich.Synth;
using Ich.TestKit;

namespace Ich.Synth.Tests;

/// <summary>
/// Labels land on the right slices after the reader orders them: phantoms of every pixel encoding, at every
/// slice thickness, are written, their files renamed so the directory order is reversed or shuffled against
/// the slice order, and read back through the phantom adapter (series assembler + labels.csv join). For every
/// slice the reader returns at position k, its pixels must be the generator's slab k re-rendered from the plan
/// (an independent source of the order: the renderer never sees the files) and its six labels must be slab k's.
/// Every style is covered: the broad and shifted styles move, rotate, rescale and re-texture the head.
/// </summary>
public class LabelAlignmentTests
{
    public static TheoryData<double, string, PhantomStyle> Cases()
    {
        var data = new TheoryData<double, string, PhantomStyle>();
        foreach (var t in SynthOptions.Thicknesses)
        {
            foreach (var order in new[] { "reversed", "shuffled" }) data.Add(t, order, PhantomStyle.Standard);
            data.Add(t, "shuffled", PhantomStyle.Broad);
            data.Add(t, "reversed", PhantomStyle.Shifted);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PhantomLabels_FollowTheReaderSliceOrder(double thicknessMm, string fileOrder, PhantomStyle style)
    {
        var options = new SynthOptions { Seed = 31, Size = 64, ThicknessMm = thicknessMm, Style = style };
        // One bleeding scan per pixel encoding (labels-only pass to choose them; it does not render pixels).
        var chosen = new Dictionary<PixelEncodingKind, int>();
        for (var i = 0; i < 200 && chosen.Count < Enum.GetValues<PixelEncodingKind>().Length; i++)
        {
            var plan = ScanPlanner.Plan(options, i);
            if (!chosen.ContainsKey(plan.Encoding) && PhantomGenerator.Labels(options, i).Any) chosen[plan.Encoding] = i;
        }
        Assert.Equal(Enum.GetValues<PixelEncodingKind>().Length, chosen.Count);

        var root = RepoPaths.NewTempDir("ich-align");
        try { WriteAndCheck(options, chosen, fileOrder, root); }
        finally { Directory.Delete(root, true); }
    }

    private static void WriteAndCheck(SynthOptions options, Dictionary<PixelEncodingKind, int> chosen, string fileOrder, string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "masks"));
        var written = new Dictionary<string, PhantomScan>();
        using (var labels = new StreamWriter(Path.Combine(root, "labels.csv")) { NewLine = "\n" })
        using (var table = new StreamWriter(Path.Combine(root, "scans.csv")) { NewLine = "\n" })
        {
            labels.WriteLine("ID,Label");
            table.WriteLine(PhantomGenerator.ScansCsvHeader);
            foreach (var index in chosen.Values.Order())
            {
                var dir = Path.Combine(root, PhantomGenerator.ScanIdFor(options, index));
                var scan = PhantomGenerator.WriteScan(options, index, dir);
                Rename(dir, scan, fileOrder, index);
                foreach (var s in scan.Slices) PhantomGenerator.WriteLabelRows(labels, s);
                table.WriteLine(PhantomGenerator.ScansCsvRow(scan));
                written[scan.Plan.ScanId] = scan;
            }
        }

        var load = DatasetCatalog.Open(DatasetKind.Phantom, root);
        Assert.Equal(written.Count, load.Scans.Count);
        foreach (var record in load.Scans)
        {
            var truth = written[record.ScanId];
            Assert.Equal(truth.Plan.SliceCount, record.Slices.Count);
            Assert.Contains(truth.Slices, s => s.Any);
            for (var k = 0; k < record.Slices.Count; k++)
            {
                var expected = truth.Slices[k];
                float[] labels = [expected.Any ? 1 : 0, .. Enumerable.Range(0, 5).Select(c => expected.Has(c) ? 1f : 0f)];
                Assert.Equal(labels, record.Slices[k].Labels);
                if (k % Math.Max(1, record.Slices.Count / 6) == 0 || expected.Any) AssertSamePixels(truth.Plan, k, record.Slices[k], record.ScanId);
            }
        }
    }

    /// <summary>Renames every file so that the directory listing no longer follows the slice order.</summary>
    private static void Rename(string dir, PhantomScan scan, string order, int seed)
    {
        var n = scan.Slices.Count;
        var rank = order == "reversed"
            ? Enumerable.Range(0, n).Select(k => n - 1 - k).ToArray()
            : Enumerable.Range(0, n).ToArray();
        if (order == "shuffled") new Random(seed).Shuffle(rank);
        for (var k = 0; k < n; k++)
            File.Move(Path.Combine(dir, scan.Slices[k].FileName), Path.Combine(dir, $"img{rank[k]:D4}.dcm"));
    }

    /// <summary>The reader's slice equals the plan's slab k inside the field of view, to the stored 1-HU rounding.</summary>
    private static void AssertSamePixels(ScanPlan plan, int k, Ich.Core.Scans.SliceRecord slice, string scanId)
    {
        var rendered = PhantomGenerator.RenderSlice(plan, k);
        var hu = slice.LoadHu();
        var compared = 0;
        for (var i = 0; i < hu.Pixels.Length; i++)
        {
            // Inside the field of view and away from the storable limits (12-bit storage clips at -1024/3071 HU).
            var want = rendered.Hu![i];
            if (!rendered.InsideFov[i] || want is < -1000f or > 2000f) continue;
            if (Math.Abs(hu.Pixels[i] - want) > 0.51f)
                Assert.Fail($"{scanId} slice {k}: pixel {i} is {hu.Pixels[i]} HU, slab {k} has {want:0.0} HU (slices out of order?)");
            compared++;
        }
        Assert.True(compared > hu.Pixels.Length / 4);
    }
}
