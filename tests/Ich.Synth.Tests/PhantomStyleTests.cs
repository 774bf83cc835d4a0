using System.Text.Json;
using Ich.Core.Errors;
using Ich.Synth.Rendering;
using Ich.TestKit;

namespace Ich.Synth.Tests;

/// <summary>
/// The phantom styles: every drawn per-scan value lies in its style's range, the shifted parameters of a Shifted scan
/// lie outside the Standard and Broad (training) ranges, the shift is visible in the pixels, the ranges in
/// docs/phantoms.md are the code's, and the style is part of a scan's identity (seed, index, style).
/// </summary>
public class PhantomStyleTests
{
    private static IEnumerable<ScanPlan> Plans(PhantomStyle style, int count, ulong seed = 21) =>
        Enumerable.Range(0, count).Select(i => ScanPlanner.Plan(new SynthOptions { Seed = seed, Size = 128, Style = style }, i));

    private static StyleRange RangeOf(PhantomStyleRanges ranges, string name) =>
        PhantomStyleTable.Parameters.Single(p => p.Name == name).Range(ranges);

    [Theory]
    [InlineData(PhantomStyle.Standard)]
    [InlineData(PhantomStyle.Broad)]
    [InlineData(PhantomStyle.Shifted)]
    public void Plan_EveryDrawnStyleValue_LiesInItsStylesRange(PhantomStyle style)
    {
        var ranges = PhantomStyleRanges.For(style);
        var seen = new HashSet<string>();
        foreach (var plan in Plans(style, 120))
        {
            foreach (var (name, value) in plan.StyleValues)
            {
                Assert.True(RangeOf(ranges, name).Contains(value), $"{style} {plan.ScanId}: {name} = {value} outside {RangeOf(ranges, name)}");
                seen.Add(name);
            }
            Assert.Equal(plan.StyleValues[nameof(PhantomStyleRanges.FovMm)] / plan.Size, plan.PixelSpacingMm, 1e-5);
        }
        // Every ranged parameter is drawn somewhere in 120 scans (the calcifications and tilt only when present),
        // so no parameter of the table is silently ignored by the generator.
        Assert.Equal(PhantomStyleTable.Parameters.Select(p => p.Name).Where(n => n != nameof(PhantomStyleRanges.StreakLines)).Order(), seen.Order());
    }

    [Fact]
    public void ShiftedPlan_ShiftedValues_LieOutsideTheStandardAndBroadRanges()
    {
        var shifted = PhantomStyleRanges.ShiftedParameters;
        // The brief's style shift: noise level and texture, pixel spacing, rotation, position, head size, contrast,
        // skull and streaks all move.
        Assert.Superset(new HashSet<string>
        {
            nameof(PhantomStyleRanges.NoiseHu), nameof(PhantomStyleRanges.NoiseGrainPasses), nameof(PhantomStyleRanges.FovMm),
            nameof(PhantomStyleRanges.InPlaneRotationDeg), nameof(PhantomStyleRanges.ShiftXMm), nameof(PhantomStyleRanges.ShiftYMm),
            nameof(PhantomStyleRanges.HeadScale), nameof(PhantomStyleRanges.GrayWhiteDifferenceHu), nameof(PhantomStyleRanges.SkullMm),
            nameof(PhantomStyleRanges.StreakStrength), nameof(PhantomStyleRanges.StreakLines),
        }, shifted.ToHashSet());
        foreach (var name in shifted)
        {
            Assert.True(RangeOf(PhantomStyleRanges.Shifted, name).IsDisjointFrom(RangeOf(PhantomStyleRanges.Standard, name)), name);
            Assert.True(RangeOf(PhantomStyleRanges.Shifted, name).IsDisjointFrom(RangeOf(PhantomStyleRanges.Broad, name)), name);
        }
        var checkedValues = 0;
        foreach (var plan in Plans(PhantomStyle.Shifted, 120))
            foreach (var name in shifted.Where(plan.StyleValues.ContainsKey))
            {
                var value = plan.StyleValues[name];
                Assert.False(RangeOf(PhantomStyleRanges.Standard, name).Contains(value), $"{plan.ScanId}: {name} = {value} is inside the standard range");
                Assert.False(RangeOf(PhantomStyleRanges.Broad, name).Contains(value), $"{plan.ScanId}: {name} = {value} is inside the broad range");
                checkedValues++;
            }
        Assert.True(checkedValues >= 120 * (shifted.Count - 1), $"only {checkedValues} shifted values checked");
    }

    [Fact]
    public void BroadRanges_ContainEveryStandardRange()
    {
        foreach (var p in PhantomStyleTable.Parameters)
            foreach (var (min, max) in p.Range(PhantomStyleRanges.Standard).Intervals())
                Assert.True(p.Range(PhantomStyleRanges.Broad).Contains(min) && p.Range(PhantomStyleRanges.Broad).Contains(max), p.Name);
        foreach (var c in PhantomStyleTable.Chances)
            Assert.True(c.Chance(PhantomStyleRanges.Broad) >= c.Chance(PhantomStyleRanges.Standard), c.Name);
    }

    [Fact]
    public void RenderedNoise_ShiftedScans_AreNoisierThanEveryStandardScan()
    {
        // σ of (rendered − noise-free slab) over flat brain, on an upper slab (no skull-base noise increase).
        double Sigma(PhantomStyle style, int index)
        {
            var plan = ScanPlanner.Plan(new SynthOptions { Seed = 3, Size = 512, ThicknessMm = 5, Style = style }, index);
            var k = plan.SliceCount * 7 / 10;
            var clean = SliceRenderer.Render(plan, k, withPixels: true).Hu!;
            var noisy = PhantomGenerator.RenderSlice(plan, k).Hu!;
            var n = plan.Size;
            var residuals = new List<double>();
            for (var y = 1; y < n - 1; y++)
                for (var x = 1; x < n - 1; x++)
                {
                    var i = y * n + x;
                    if (clean[i] is < 15 or > 50) continue;
                    if (Math.Abs(clean[i - 1] - clean[i]) + Math.Abs(clean[i + 1] - clean[i]) + Math.Abs(clean[i - n] - clean[i]) + Math.Abs(clean[i + n] - clean[i]) > 2) continue;
                    residuals.Add(Math.Abs(noisy[i] - clean[i]));
                }
            Assert.True(residuals.Count > 300, $"{style} scan {index}: only {residuals.Count} flat brain pixels");
            residuals.Sort();
            return 1.4826 * residuals[residuals.Count / 2];
        }
        var standard = Enumerable.Range(0, 6).Select(i => Sigma(PhantomStyle.Standard, i)).ToList();
        var shifted = Enumerable.Range(0, 6).Select(i => Sigma(PhantomStyle.Shifted, i)).ToList();
        Assert.True(shifted.Min() > standard.Max(), $"standard σ {string.Join(", ", standard.Select(s => s.ToString("F2")))}; shifted σ {string.Join(", ", shifted.Select(s => s.ToString("F2")))}");
    }

    [Theory]
    [InlineData(PhantomStyle.Broad)]
    [InlineData(PhantomStyle.Shifted)]
    public void LabelOnlyPath_StyledScans_GivesTheSameMasksAsTheFullRender(PhantomStyle style)
    {
        var options = new SynthOptions { Seed = 9, Size = 64, Style = style };
        var dir = RepoPaths.NewTempDir("ich-style");
        try
        {
            var bleeding = Enumerable.Range(0, 40).Where(i => PhantomGenerator.Labels(options, i).Any).Take(2).ToList();
            Assert.Equal(2, bleeding.Count);
            foreach (var i in bleeding)
            {
                var full = PhantomGenerator.WriteScan(options, i, Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                var fast = PhantomGenerator.Labels(options, i);
                Assert.Equal(full.Slices.Select(s => s.AreasMm2), fast.Slices.Select(s => s.AreasMm2));
                for (var k = 0; k < full.Slices.Count; k++)
                    for (var t = 0; t < 5; t++)
                        Assert.Equal(full.Masks.Slices[k].Runs[t], fast.Masks.Slices[k].Runs[t]);
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Plan_SameSeedIndexAndStyle_IsIdentical_AndTheStyleChangesTheScan()
    {
        foreach (var style in Enum.GetValues<PhantomStyle>())
        {
            var options = new SynthOptions { Seed = 3, Style = style };
            var (a, b) = (ScanPlanner.Plan(options, 5), ScanPlanner.Plan(options, 5));
            Assert.Equal(a.StyleValues, b.StyleValues);
            Assert.Equal(a.SopUids, b.SopUids);
            Assert.Equal(a.Bleeds.Select(x => x.Describe()), b.Bleeds.Select(x => x.Describe()));
            var (x, y) = (PhantomGenerator.RenderSlice(a, a.SliceCount / 2).Hu!, PhantomGenerator.RenderSlice(b, b.SliceCount / 2).Hu!);
            Assert.Equal(x, y);
        }
        var plans = Enum.GetValues<PhantomStyle>().Select(s => ScanPlanner.Plan(new SynthOptions { Seed = 3, Style = s }, 5)).ToList();
        Assert.Equal(["phantom-3-00005", "phantom-broad-3-00005", "phantom-shifted-3-00005"], plans.Select(p => p.ScanId));
        // Each style has its own UIDs, patients and random streams (a shifted test set never repeats training cases).
        Assert.Equal(3, plans.Select(p => p.SeriesUid).Distinct().Count());
        Assert.Equal(3, plans.Select(p => p.PatientId).Distinct().Count());
        Assert.Equal(3, plans.Select(p => p.StyleValues[nameof(PhantomStyleRanges.GrayMatterHu)]).Distinct().Count());
    }

    [Fact]
    public void ShiftGroups_PartitionTheShiftedParameters_AndAllOfThemAreShifted()
    {
        var grouped = PhantomStyleRanges.ShiftGroups.Values.SelectMany(g => g).ToList();
        Assert.Equal(grouped.Count, grouped.Distinct().Count()); // no parameter in two groups
        Assert.Equal(PhantomStyleRanges.ShiftedParameters.Order(), grouped.Order());
        Assert.Equal(PhantomStyleRanges.Shifted, PhantomStyleRanges.ShiftedOnly(PhantomStyleRanges.ShiftGroups.Keys.ToList()));
        Assert.Equal(PhantomStyleRanges.Broad, PhantomStyleRanges.ShiftedOnly([]));
    }

    [Fact]
    public void ShiftGroup_MovesOnlyItsOwnParameters_OfTheSameScan()
    {
        foreach (var (group, parameters) in PhantomStyleRanges.ShiftGroups)
        for (var i = 0; i < 3; i++)
        {
            var none = ScanPlanner.Plan(new SynthOptions { Seed = 4242, Size = 128, Style = PhantomStyle.Shifted, ShiftGroups = [PhantomStyleRanges.NoShiftGroup] }, i);
            var only = ScanPlanner.Plan(new SynthOptions { Seed = 4242, Size = 128, Style = PhantomStyle.Shifted, ShiftGroups = [group] }, i);
            var moved = only.StyleValues.Where(kv => kv.Value != none.StyleValues[kv.Key]).Select(kv => kv.Key).ToList();
            // The streak strength is drawn after pose and skull from the same stream, so it can move with them too
            // (docs/phantoms.md says so); nothing else may.
            var allowed = parameters.Append(nameof(PhantomStyleRanges.StreakStrength)).ToList();
            Assert.All(moved, name => Assert.Contains(name, allowed));
            foreach (var name in parameters.Where(only.StyleValues.ContainsKey))
                Assert.False(RangeOf(PhantomStyleRanges.Broad, name).Contains(only.StyleValues[name]), $"{group}: {name} = {only.StyleValues[name]} lies in the broad range");
            Assert.Equal(none.ScanId, only.ScanId);
            if (group != "pose") Assert.Equal(none.Bleeds.Select(x => x.Describe()), only.Bleeds.Select(x => x.Describe()));
        }
    }

    [Fact]
    public void ShiftGroups_UnknownOrWithoutShiftedStyle_ConfigException()
    {
        Assert.Contains("unknown shift group 'colour'", Assert.Throws<ConfigException>(() => new SynthOptions { Style = PhantomStyle.Shifted, ShiftGroups = ["colour"] }.Validate()).Message);
        Assert.Contains("needs --style shifted", Assert.Throws<ConfigException>(() => new SynthOptions { Style = PhantomStyle.Broad, ShiftGroups = ["fov"] }.Validate()).Message);
        Assert.Contains("twice", Assert.Throws<ConfigException>(() => new SynthOptions { Style = PhantomStyle.Shifted, ShiftGroups = ["fov", "fov"] }.Validate()).Message);
        Assert.Contains("cannot be combined", Assert.Throws<ConfigException>(() => new SynthOptions { Style = PhantomStyle.Shifted, ShiftGroups = ["none", "fov"] }.Validate()).Message);
        // "none" shifts nothing: the shifted set's own scans, with every parameter in the broad ranges.
        Assert.Equal(PhantomStyleRanges.Broad, new SynthOptions { Style = PhantomStyle.Shifted, ShiftGroups = ["none"] }.Ranges);
    }

    [Fact]
    public void StyleRange_SingleInterval_DrawsExactlyTheOriginalUniformCall()
    {
        var (a, b) = (new SynthRandom(77), new SynthRandom(77));
        for (var i = 0; i < 100; i++) Assert.Equal(a.Uniform(-16, 12), StyleRange.Between(-16, 12).Draw(b));
        for (var i = 0; i < 100; i++) Assert.Equal(2 + a.Int(7), StyleRange.Between(2, 8).DrawInt(b));
    }

    [Fact]
    public void StyleRange_TwoIntervals_DrawsBothAndNothingBetween()
    {
        var range = StyleRange.BeyondPlusMinus(24, 35);
        var rng = new SynthRandom(5);
        var values = Enumerable.Range(0, 2000).Select(_ => range.Draw(rng)).ToList();
        Assert.All(values, v => Assert.True(Math.Abs(v) is >= 24 and <= 35, $"{v}"));
        Assert.InRange(values.Count(v => v < 0), 850, 1150);
        var ints = Enumerable.Range(0, 3000).Select(_ => StyleRange.Either(0, 0, 4, 5).DrawInt(rng)).ToList();
        Assert.Equal([0, 4, 5], ints.Distinct().Order());
        Assert.All(new[] { 0, 4, 5 }, v => Assert.InRange(ints.Count(x => x == v), 850, 1150));
        Assert.False(range.Contains(0));
        Assert.True(range.Contains(-30));
        Assert.Equal("-35…-24 or 24…35", range.ToString());
    }

    [Fact]
    public void PhantomsDoc_StyleTable_IsTheCodesRanges()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "phantoms.md")).ReplaceLineEndings("\n");
        const string begin = "<!-- style-ranges:begin (generated from PhantomStyleRanges; a test checks it) -->\n";
        const string end = "<!-- style-ranges:end -->";
        var start = doc.IndexOf(begin, StringComparison.Ordinal);
        var stop = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, "docs/phantoms.md lacks the style-ranges markers");
        var expected = PhantomStyleTable.Markdown();
        Assert.True(doc[(start + begin.Length)..stop] == expected, $"docs/phantoms.md's style table is stale; replace it with:\n{expected}");
    }

    [Theory]
    [InlineData("standard", PhantomStyle.Standard)]
    [InlineData("Broad", PhantomStyle.Broad)]
    [InlineData("SHIFTED", PhantomStyle.Shifted)]
    public void ParseStyle_KnownName_Parses(string text, PhantomStyle expected) => Assert.Equal(expected, SynthOptions.ParseStyle(text));

    [Fact]
    public void ParseStyle_UnknownName_ThrowsConfigExceptionNamingTheChoices()
    {
        var e = Assert.Throws<ConfigException>(() => SynthOptions.ParseStyle("wild"));
        Assert.Contains("standard, broad, shifted", e.Message);
        Assert.Contains("'wild'", e.Message);
    }

    [Fact]
    public void Json_Style_IsSpelledInLowerCase()
    {
        Assert.Equal("\"shifted\"", JsonSerializer.Serialize(PhantomStyle.Shifted));
        Assert.Equal(PhantomStyle.Broad, JsonSerializer.Deserialize<PhantomStyle>("\"broad\""));
        Assert.Equal("standard", PhantomStyle.Standard.Name());
    }
}
