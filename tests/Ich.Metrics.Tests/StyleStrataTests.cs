using Ich.Core;
using Ich.Metrics.Evaluation;

namespace Ich.Metrics.Tests;

/// <summary>
/// <see cref="StyleStrata"/>: a parameter with many values is split in thirds of scans by value, one with few values by
/// value; the quantile is numpy's linear one; a parameter only some scans drew is grouped over those scans alone.
/// </summary>
public class StyleStrataTests
{
    private static EvaluationRow Row(string scan, int slice, double any, bool bleed)
    {
        var p = new double[HemorrhageClasses.Count];
        var y = new bool[HemorrhageClasses.Count];
        p[HemorrhageClasses.IndexOf("any")] = any;
        y[HemorrhageClasses.IndexOf("any")] = bleed;
        return new EvaluationRow(scan, $"{scan}/{slice}", p, y);
    }

    [Fact]
    public void Compute_SixValues_ThirdsByValue_FewValues_OneGroupEach_PartialParameter_OnlyItsScans()
    {
        // Six scans, two slices each; scan k has NoiseHu 7 − k (so value order is the reverse of scan order) and
        // Grain k % 2; only scans 0 and 1 drew a TiltDeg.
        var rows = new List<EvaluationRow>();
        var values = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        for (var k = 0; k < 6; k++)
        {
            var scan = $"s{k}";
            rows.Add(Row(scan, 0, 0.1 * k, false));
            rows.Add(Row(scan, 1, 0.5 + 0.05 * k, k % 3 == 0));
            var v = new Dictionary<string, double> { ["NoiseHu"] = 7 - k, ["Grain"] = k % 2 };
            if (k < 2) v["TiltDeg"] = 10 + k;
            values[scan] = v;
        }

        var (strata, without) = StyleStrata.Compute(rows, values);

        Assert.Equal(0, without);
        Assert.Equal(new[] { "Grain", "Grain", "NoiseHu", "NoiseHu", "NoiseHu", "TiltDeg", "TiltDeg" }, strata.Select(s => s.Parameter));
        var noise = strata.Where(s => s.Parameter == "NoiseHu").ToList();
        Assert.Equal(new[] { (2.0, 3.0, 2), (4.0, 5.0, 2), (6.0, 7.0, 2) }, noise.Select(s => (s.Low, s.High, s.Scans)));
        // NoiseHu 6–7 = scans 0 and 1: scan 0 bleeds on slice 1 (0.5), scan 1 is bleed-free (0.1, 0.55).
        var top = noise[2];
        Assert.Equal((1, 1), (top.NegativeScans, top.PositiveSlices));
        Assert.Equal(2.0 / 3, top.SliceAuc!.Value, 12);          // 0.5 above 0 and 0.1, below 0.55
        Assert.Equal(0.1 + 0.9 * 0.45, top.FalsePositiveLevel!.Value, 12);
        Assert.Equal(0.5, top.BleedLevel!.Value, 12);
        Assert.Equal(new[] { (0.0, 3), (1.0, 3) }, strata.Where(s => s.Parameter == "Grain").Select(s => (s.Low, s.Scans)));
        Assert.Equal(new[] { (10.0, 1), (11.0, 1) }, strata.Where(s => s.Parameter == "TiltDeg").Select(s => (s.Low, s.Scans)));
    }

    [Fact]
    public void Quantile_IsNumpysLinearInterpolation()
    {
        Assert.Equal(3.7, StyleStrata.Quantile([4, 1, 3, 2], 0.9), 12);   // numpy.quantile([1,2,3,4], 0.9)
        Assert.Equal(2.5, StyleStrata.Quantile([1, 2, 3, 4], 0.5), 12);
        Assert.Equal(5, StyleStrata.Quantile([5], 0.9));
        Assert.Throws<ArgumentException>(() => StyleStrata.Quantile([], 0.5));
    }
}
