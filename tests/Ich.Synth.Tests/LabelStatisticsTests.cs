using Xunit.Abstractions;

namespace Ich.Synth.Tests;

public class LabelStatisticsTests(ITestOutputHelper output)
{
    /// <summary>
    /// The design targets of the issue over 200 scans with mixed thickness, on the label-only path.
    /// Run at 128 × 128 to stay quick: areas are in mm², so labels barely depend on the matrix size;
    /// `ich synth --stats --scans 200` prints the same table at 512.
    /// </summary>
    [Fact]
    public void Labels_200MixedScans_MeetTheDesignRanges()
    {
        var options = new SynthOptions { Seed = 1, Size = 128 };
        var scans = Enumerable.Range(0, 200).Select(i => PhantomGenerator.Labels(options, i)).ToList();
        var stats = LabelStatistics.From(scans);
        output.WriteLine(stats.Format());
        Assert.InRange(stats.PositiveScanFraction, 0.40, 0.60);
        for (var t = 0; t < 5; t++) Assert.InRange(stats.SubtypeFractionOfPositive(t), 0.10, 0.40);
        Assert.Equal(SynthOptions.Thicknesses.OrderBy(x => x), stats.ScansByThickness.Keys.OrderBy(x => x));
        Assert.Equal(8, stats.ScansByEncoding.Count);
        // Every scan the planner made bleed has at least one positive slice unless its bleeds are all tiny:
        // the great majority must be labelled, or masks are silently empty.
        var planned = scans.Count(s => s.Plan.Bleeds.Count > 0);
        Assert.True(stats.PositiveScans >= 0.85 * planned, $"{stats.PositiveScans} labelled of {planned} planned bleeding scans");
        Assert.All(scans.Where(s => s.Plan.Bleeds.Count == 0), s => Assert.False(s.Any));
    }
}
