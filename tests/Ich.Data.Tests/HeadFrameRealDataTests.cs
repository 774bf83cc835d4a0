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

    private static bool Inside(FrameRegion r, int x, int y) =>
        x + 0.5 >= r.Left && x + 0.5 <= r.Left + r.Width && y + 0.5 >= r.Top && y + 0.5 <= r.Top + r.Height;

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
