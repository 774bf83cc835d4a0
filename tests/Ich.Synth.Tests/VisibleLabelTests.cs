using Ich.Synth.Output;
using Ich.Synth.Rendering;
using Ich.TestKit;

namespace Ich.Synth.Tests;

/// <summary>
/// <c>--labels visible</c>: the mask loses exactly the pixels the noise-free reconstructed image shows brighter than
/// blood can be, no pixel of the image changes, the label-only path agrees with the full render, and a folder says
/// which rule wrote it.
/// </summary>
public sealed class VisibleLabelTests
{
    // Shifted scans have skulls 10.5–13 mm thick and coarse pixels: where convexity bleeds drown in bone most often.
    private static readonly SynthOptions Geometric = new() { Seed = 21, Size = 128, ThicknessMm = 5, Style = PhantomStyle.Shifted };
    private static readonly SynthOptions Visible = Geometric with { Labels = PhantomLabelRule.Visible };

    /// <summary>Slices of the first scans that bleed, as (scan index, slice index).</summary>
    private static List<(int Scan, int Slice)> BleedingSlices(int scans) =>
        Enumerable.Range(0, scans).SelectMany(i => PhantomGenerator.Labels(Geometric, i).Slices.Where(s => s.Any).Select(s => (i, s.Index))).ToList();

    [Fact]
    public void Visible_DropsTheMaskPixelsTheReconstructedImageShowsAsBone_AndOnlyThose()
    {
        var dropped = 0;
        var kept = 0;
        foreach (var (scan, k) in BleedingSlices(12))
        {
            // The reference: the geometric mask, and the slab's noise-free reconstruction, made by hand.
            var plan = ScanPlanner.Plan(Geometric, scan);
            var raw = SliceRenderer.Render(plan, k, withPixels: true);
            var reconstructed = (float[])raw.Hu!.Clone();
            Artifacts.Reconstruct(plan, reconstructed);

            var visible = PhantomGenerator.RenderSlice(ScanPlanner.Plan(Visible, scan), k);
            for (var i = 0; i < raw.Mask.Length; i++)
            {
                if (raw.Mask[i] == 0) { Assert.Equal(0, visible.Mask[i]); continue; }
                var expected = reconstructed[i] <= PhantomLabelRules.VisibleBloodMaxHu ? raw.Mask[i] : (byte)0;
                Assert.Equal(expected, visible.Mask[i]);
                if (expected == 0) dropped++; else kept++;
            }
            Assert.Equal(SliceRenderer.CountPixels(visible.Mask), visible.MaskPixels);
        }
        // The rule must bite on these scans (thick skulls) and still leave most blood labelled.
        Assert.True(dropped > 0, "no mask pixel was dropped: the test scans show no bleed under bone");
        Assert.True(kept > dropped, $"kept {kept}, dropped {dropped}");
    }

    [Fact]
    public void Visible_DroppedPixelsReadAsBoneOnTheWrittenImage_KeptOnesAsBlood()
    {
        // Independent of the rule's code: the final (noisy) image the DICOM stores.
        var droppedHu = new List<float>();
        var keptHu = new List<float>();
        foreach (var (scan, k) in BleedingSlices(12))
        {
            var geometric = PhantomGenerator.RenderSlice(ScanPlanner.Plan(Geometric, scan), k);
            var visible = PhantomGenerator.RenderSlice(ScanPlanner.Plan(Visible, scan), k);
            for (var i = 0; i < geometric.Mask.Length; i++)
            {
                if (geometric.Mask[i] == 0) continue;
                (visible.Mask[i] == 0 ? droppedHu : keptHu).Add(geometric.Hu![i]);
            }
        }
        Assert.NotEmpty(droppedHu);
        Assert.True(Median(droppedHu) > 150, $"dropped pixels: median {Median(droppedHu):F0} HU");
        Assert.InRange(Median(keptHu), 30, 100);
    }

    [Fact]
    public void Visible_ChangesNoPixel()
    {
        foreach (var (scan, k) in BleedingSlices(6).Take(8))
        {
            var a = PhantomGenerator.RenderSlice(ScanPlanner.Plan(Geometric, scan), k);
            var b = PhantomGenerator.RenderSlice(ScanPlanner.Plan(Visible, scan), k);
            Assert.Equal(a.Hu, b.Hu);
        }
    }

    [Fact]
    public void Visible_LabelOnlyPath_EqualsTheFullRender()
    {
        foreach (var scan in Enumerable.Range(0, 6))
        {
            var fast = PhantomGenerator.Labels(Visible, scan);
            var plan = ScanPlanner.Plan(Visible, scan);
            foreach (var s in fast.Slices)
            {
                var full = PhantomGenerator.RenderSlice(plan, s.Index);
                var pixelArea = plan.PixelSpacingMm * plan.PixelSpacingMm;
                Assert.Equal(full.MaskPixels.Select(c => c * pixelArea), s.AreasMm2);
                for (var t = 0; t < 5; t++)
                    Assert.Equal(SliceMasks.Encode(full.Mask, t), fast.Masks.Find(plan.SopUids[s.Index])!.Runs[t]);
            }
        }
    }

    [Fact]
    public void Write_RecordsTheLabelRule_AndAFolderWithoutTheRecordIsGeometric()
    {
        var root = RepoPaths.NewTempDir("ich-synth-labels");
        try
        {
            var visible = Path.Combine(root, "visible");
            PhantomGenerator.Write(Visible with { Size = 64 }, visible, 1);
            Assert.Equal(PhantomLabelRule.Visible, SynthSettingsFile.LabelRule(visible));

            var geometric = Path.Combine(root, "geometric");
            PhantomGenerator.Write(Geometric with { Size = 64 }, geometric, 1);
            Assert.Equal(PhantomLabelRule.Geometric, SynthSettingsFile.LabelRule(geometric));
            File.Delete(Path.Combine(geometric, SynthSettingsFile.FileName));
            Assert.Equal(PhantomLabelRule.Geometric, SynthSettingsFile.LabelRule(geometric));

            File.WriteAllText(Path.Combine(visible, SynthSettingsFile.FileName), "{ not json");
            var e = Assert.Throws<Ich.Core.Errors.DatasetFormatException>(() => SynthSettingsFile.LabelRule(visible));
            Assert.Contains(SynthSettingsFile.FileName, e.Path, StringComparison.Ordinal);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void ParseLabels_AcceptsTheTwoRules_AndNamesTheChoicesOtherwise()
    {
        Assert.Equal(PhantomLabelRule.Visible, PhantomLabelRules.Parse("visible"));
        Assert.Equal(PhantomLabelRule.Geometric, PhantomLabelRules.Parse("Geometric"));
        var e = Assert.Throws<Ich.Core.Errors.ConfigException>(() => PhantomLabelRules.Parse("seen"));
        Assert.Contains("--labels must be geometric or visible, not 'seen'", e.Message, StringComparison.Ordinal);
    }

    private static float Median(List<float> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
