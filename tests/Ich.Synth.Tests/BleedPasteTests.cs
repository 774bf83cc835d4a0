using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Synth;
using Ich.Synth.Insertion;

namespace Ich.Synth.Tests;

/// <summary>
/// Cut-and-paste of a masked bleed into another head: the pasted blood keeps the donor's HU values and labels,
/// lies inside the host's skull, keeps its relation to the inner table (an epidural still touches it, an
/// intraparenchymal clot stays on brain off the table), and leaves the host untouched beyond a one-pixel rim.
/// Donors are bleeds inserted into one phantom (so their masks and classes are known exactly); the host is a
/// negative slab of a different phantom head.
/// </summary>
public class BleedPasteTests
{
    private static readonly Lazy<HuImage> DonorHead = new(() => BleedInsertionTests.NegativePhantomSlice(11));
    private static readonly Lazy<HuImage> HostHead = new(() => BleedInsertionTests.NegativePhantomSlice(23));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Paste_KeepsDonorBloodLabelsAndTableRelation_HostUntouchedElsewhere(int donorClass)
    {
        var donor = BleedInserter.Insert(DonorHead.Value, donorClass, new SynthRandom(4));
        var host = HostHead.Value;
        Assert.NotEqual(donor.Hu.Pixels.Length == host.Pixels.Length ? donor.Hu.Pixels : [], host.Pixels);
        var result = BleedPaste.Paste(donor.Hu, donor.Mask, donor.Labels, host, new SynthRandom(9));

        Assert.Equal(donor.Labels, result.Labels);
        int w = host.Width;
        var spacing = host.PixelSpacingMm!.Value;
        var blood = Enumerable.Range(0, result.Mask.Length).Where(i => result.Mask[i] != 0).ToArray();
        Assert.NotEmpty(blood);
        // Donor blood values: every pasted pixel carries one of them (nearest-neighbour mapping, no resynthesis).
        var donorValues = Enumerable.Range(0, donor.Mask.Length).Where(i => donor.Mask[i] != 0)
            .Select(i => BitConverter.SingleToInt32Bits(donor.Hu.Pixels[i])).ToHashSet();
        Assert.All(blood, i => Assert.Contains(BitConverter.SingleToInt32Bits(result.Hu.Pixels[i]), donorValues));

        // Geometry against the host's own bone (≥ 300 HU), brute force.
        var bone = Enumerable.Range(0, host.Pixels.Length).Where(i => host.Pixels[i] >= 300).ToArray();
        double Depth(int i) => bone.Min(b => Math.Sqrt(Sq(b % w - i % w) + Sq(b / w - i / w))) * spacing;
        Assert.All(blood, i => Assert.True(host.Pixels[i] is > -200 and < 300, $"pasted onto {host.Pixels[i]} HU"));
        if (donorClass is 1 or 5) Assert.Contains(blood, i => Depth(i) <= 2.0 + spacing);
        else Assert.All(blood.Where((_, k) => k % 10 == 0), i => Assert.True(Depth(i) > 2.0 - spacing, $"{Depth(i):0.0} mm"));

        // Area roughly preserved up to the head-size scaling (equivalent radii of the two heads differ by < 25 %).
        Assert.InRange(blood.Length, donor.MaskPixels * 0.5, donor.MaskPixels * 1.6);

        for (var i = 0; i < host.Pixels.Length; i++)
        {
            if (result.Mask[i] != 0 || BitConverter.SingleToInt32Bits(host.Pixels[i]) == BitConverter.SingleToInt32Bits(result.Hu.Pixels[i])) continue;
            int x = i % w, y = i / w;
            Assert.True(blood.Any(b => Math.Abs(b % w - x) <= 1 && Math.Abs(b / w - y) <= 1), $"pixel ({x}, {y}) changed away from the pasted blood");
        }

        var again = BleedPaste.Paste(donor.Hu, donor.Mask, donor.Labels, host, new SynthRandom(9));
        Assert.Equal(result.Hu.Pixels, again.Hu.Pixels);
    }

    /// <summary>
    /// Real PhysioNet bleeds (their <c>_HGE_Seg.png</c> masks) into a real negative slice: of ten donors (one per
    /// patient), at least half find a plausible place (the others are refused with a reason: an open skull after
    /// craniectomy or fracture, no room); each pasted bleed carries its donor's labels and lies on
    /// intracranial pixels of the host (HU above −200 and below bone).
    /// </summary>
    [SkippableFact]
    public void Paste_RealPhysioNetMaskedBleeds_IntoRealNegativeSlice()
    {
        var root = Ich.TestKit.RepoPaths.RequireShared("physionet-ctich");
        var scans = Ich.Data.Catalog.DatasetCatalog.Open(Ich.Data.Catalog.DatasetKind.PhysioNet, root).Scans;
        var negative = scans.First(s => s.Slices.Count >= 20 && s.Slices.All(x => x.Labels![0] == 0f));
        var host = negative.Slices[negative.Slices.Count / 2].LoadHu();
        // One donor per patient (its middle masked slice), from the first ten patients with masks.
        var donors = scans.Select(s => s.Slices.Where(x => File.Exists(x.SourcePath![..^4] + "_HGE_Seg.png")).ToList())
            .Where(m => m.Count > 0).Select(m => m[m.Count / 2]).Take(10).ToList();
        Assert.Equal(10, donors.Count);
        var placed = 0;
        var refused = new List<string>();
        foreach (var donor in donors)
        {
            using var png = SkiaSharp.SKBitmap.Decode(donor.SourcePath![..^4] + "_HGE_Seg.png");
            var hu = donor.LoadHu();
            Assert.Equal((hu.Width, hu.Height), (png.Width, png.Height));
            var mask = new byte[hu.Pixels.Length];
            for (var y = 0; y < png.Height; y++)
                for (var x = 0; x < png.Width; x++) mask[y * png.Width + x] = png.GetPixel(x, y).Red >= 128 ? (byte)1 : (byte)0;
            InsertedBleed result;
            try { result = BleedPaste.Paste(hu, mask, donor.Labels!, host, new SynthRandom(3), assumedSpacingMm: 0.35); }
            catch (InsertionHostException e) { refused.Add(e.Reason); continue; }
            placed++;
            Assert.Equal(donor.Labels, result.Labels);
            Assert.All(Enumerable.Range(0, mask.Length).Where(i => result.Mask[i] != 0),
                i => Assert.True(host.Pixels[i] is > -200 and < 300, $"pasted onto {host.Pixels[i]} HU"));
        }
        Assert.True(placed >= 5, $"only {placed} of 10 real bleeds found a place; refused: {string.Join(" | ", refused)}");
    }

    [Fact]
    public void Paste_EmptyDonorMask_IsRefused()
    {
        var head = DonorHead.Value;
        Assert.Throws<InsertionHostException>(() => BleedPaste.Paste(head, new byte[head.Pixels.Length], [1, 1, 0, 0, 0, 0], HostHead.Value, new SynthRandom(1)));
        Assert.Throws<ConfigException>(() => BleedPaste.Paste(head, new byte[3], [1, 1, 0, 0, 0, 0], HostHead.Value, new SynthRandom(1)));
    }

    private static double Sq(double v) => v * v;
}
