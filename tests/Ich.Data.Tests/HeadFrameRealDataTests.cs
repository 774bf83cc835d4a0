using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Imaging;
using Ich.TestKit;

namespace Ich.Data.Tests;

/// <summary><see cref="HeadFrameSearch"/> on real CT series of <c>../shared/realdata</c> (skipped by name without it).</summary>
public class HeadFrameRealDataTests
{
    private static IReadOnlyList<HuImage> Slices(string relative)
    {
        var load = DatasetCatalog.Open(DatasetKind.Dicom, RepoPaths.RequireShared(relative));
        return Assert.Single(load.Scans).Slices.Select(s => s.LoadHu()).ToList();
    }

    /// <summary>
    /// Human head CT (GE with a head-holder beside the head; an RSNA challenge series): the frame holds the head of every
    /// slice — its largest full-resolution connected tissue region, found here independently pixel by pixel — and is a
    /// real crop, smaller than the field.
    /// </summary>
    [SkippableTheory]
    [InlineData("realdata/headct/dcm_qa_ct_GE")]
    [InlineData("realdata/headct/rsna2019_okotaku_stage2_series")]
    public void Find_RealHeadCt_FrameHoldsTheHeadOfEverySlice(string relative)
    {
        var slices = Slices(relative);
        var frame = HeadFrameSearch.Find(slices);
        Assert.Equal(HeadFrameKind.Head, frame.Kind);
        var region = frame.Region(slices[0].Width, slices[0].Height);
        Assert.InRange(region.Width, 0.5 * slices[0].Width, 0.98 * slices[0].Width);
        foreach (var hu in slices)
        {
            var head = LargestTissueRegion(hu);
            var outside = head.Count(i => !Inside(region, i % hu.Width, i / hu.Width));
            Assert.True(outside <= head.Count / 1000, $"{outside} of {head.Count} head pixels outside {frame}");
        }
    }

    /// <summary>
    /// The Philips head phantom lies in a U-shaped support that is the only tissue-dense thing on the top slice: that
    /// slice must not widen the frame (most of the support stays outside it), while the phantom's own slices are inside.
    /// </summary>
    [SkippableFact]
    public void Find_PhantomInItsSupport_LeavesTheSupportOut()
    {
        var slices = Slices("realdata/headct/dcm_qa_ct_Philips_S2010");
        var frame = HeadFrameSearch.Find(slices);
        var region = frame.Region(slices[0].Width, slices[0].Height);
        var top = slices[^1];
        var support = Enumerable.Range(0, top.Pixels.Length).Where(i => top.Pixels[i] > HeadFrameSearch.TissueHu).ToList();
        Assert.True(support.Count > 500, "the top slice should show the support");
        Assert.True(support.Count(i => !Inside(region, i % top.Width, i / top.Width)) * 2 > support.Count, $"{frame} takes in the support");
        var middle = slices[slices.Count / 2];
        var phantom = LargestTissueRegion(middle);
        Assert.True(phantom.Count(i => !Inside(region, i % middle.Width, i / middle.Width)) <= phantom.Count / 1000);
    }

    /// <summary>
    /// PhysioNet CT-ICH, eight patients outside the locked test, among them the holder and pad cases below (HU rebuilt from the JPG export's display windows, floor
    /// near −800 to −900 HU): the export is already framed tightly around the head (heads span 400–640 of 650 px), so the
    /// frame is a head frame about the size of the field, not a big crop. It holds every pixel denser than fat of the head,
    /// found here at full resolution: the largest tissue region once structures thinner than 9 px are cut off (the
    /// holder's arc, 4–6 px thick, touches the head of patient 075 at full resolution and reaches the field's edge; the
    /// pad under patient 106's head is −300…0 HU).
    /// </summary>
    [SkippableTheory]
    [InlineData("049")]
    [InlineData("060")]
    [InlineData("075")]
    [InlineData("083")]
    [InlineData("097")]
    [InlineData("106")]
    [InlineData("118")]
    [InlineData("130")]
    public void Find_PhysioNetRebuiltHu_FrameHoldsTheHead(string patient)
    {
        RepoPaths.RequireShared("physionet-ctich/hemorrhage_diagnosis.csv");
        var scan = DatasetCatalog.Open(DatasetKind.PhysioNet, Path.Combine(RepoPaths.Shared, "physionet-ctich")).Scans.Single(s => s.ScanId == patient);
        var slices = scan.Slices.Select(s => s.LoadHu()).ToList();
        var frame = HeadFrameSearch.Find(slices);
        Assert.Equal(HeadFrameKind.Head, frame.Kind);
        var region = frame.Region(slices[0].Width, slices[0].Height);
        Assert.InRange(region.Width, 0.5 * slices[0].Width, 1.05 * slices[0].Width);
        for (var z = 0; z < slices.Count; z++)
        {
            var hu = slices[z];
            var dense = OpenedHead(hu).Where(i => hu.Pixels[i] >= 0).ToList();
            var outside = dense.Where(i => !Inside(region, i % hu.Width, i / hu.Width)).ToList();
            Assert.True(outside.Count == 0, $"slice {z}: {outside.Count} of {dense.Count} head pixels at 0 HU or more outside {frame}, "
                + $"first at ({outside.FirstOrDefault() % hu.Width}, {outside.FirstOrDefault() / hu.Width}) {hu.Pixels[outside.FirstOrDefault()]:0} HU");
        }
    }

    private static bool Inside(FrameRegion r, int x, int y) =>
        x + 0.5 >= r.Left && x + 0.5 <= r.Left + r.Width && y + 0.5 >= r.Top && y + 0.5 <= r.Top + r.Height;

    /// <summary>
    /// The head at full resolution without what touches it along a thin contact: tissue eroded by a 9 × 9 square, its
    /// largest region, grown back by the same square inside the tissue.
    /// </summary>
    private static List<int> OpenedHead(HuImage hu)
    {
        const int r = 4;
        var tissue = hu.Pixels.Select(v => v > HeadFrameSearch.TissueHu).ToArray();
        var eroded = new HuImage(hu.Width, hu.Height, Square(tissue, hu.Width, hu.Height, r, all: true).Select(t => t ? 0f : -1000f).ToArray(), null);
        var core = new bool[tissue.Length];
        foreach (var i in LargestTissueRegion(eroded)) core[i] = true;
        var grown = Square(core, hu.Width, hu.Height, r, all: false);
        return Enumerable.Range(0, tissue.Length).Where(i => grown[i] && tissue[i]).ToList();
    }

    /// <summary>Square erosion (all of the window) or dilation (any of it), rows then columns; outside the slice is air.</summary>
    private static bool[] Square(bool[] mask, int width, int height, int r, bool all)
    {
        var rows = new bool[mask.Length];
        for (var y = 0; y < height; y++) Line(mask, rows, y * width, 1, width);
        var result = new bool[mask.Length];
        for (var x = 0; x < width; x++) Line(rows, result, x, width, height);
        return result;

        // Running count of set cells in the window [i − r, i + r] along one line.
        void Line(bool[] source, bool[] target, int origin, int stride, int length)
        {
            var prefix = new int[length + 1];
            for (var i = 0; i < length; i++) prefix[i + 1] = prefix[i] + (source[origin + i * stride] ? 1 : 0);
            for (var i = 0; i < length; i++)
            {
                var set = prefix[Math.Min(length, i + r + 1)] - prefix[Math.Max(0, i - r)];
                target[origin + i * stride] = all ? set == 2 * r + 1 : set > 0;
            }
        }
    }

    /// <summary>Pixels of the largest 8-connected region above the tissue threshold (full resolution, no opening).</summary>
    private static List<int> LargestTissueRegion(HuImage hu)
    {
        var seen = new bool[hu.Pixels.Length];
        var best = new List<int>();
        for (var start = 0; start < seen.Length; start++)
        {
            if (seen[start] || hu.Pixels[start] <= HeadFrameSearch.TissueHu) continue;
            var region = new List<int>();
            var queue = new Queue<int>([start]);
            seen[start] = true;
            while (queue.Count > 0)
            {
                var p = queue.Dequeue();
                region.Add(p);
                int x = p % hu.Width, y = p / hu.Width;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= hu.Width || ny >= hu.Height) continue;
                        var q = ny * hu.Width + nx;
                        if (seen[q] || hu.Pixels[q] <= HeadFrameSearch.TissueHu) continue;
                        seen[q] = true;
                        queue.Enqueue(q);
                    }
            }
            if (region.Count > best.Count) best = region;
        }
        return best;
    }
}
