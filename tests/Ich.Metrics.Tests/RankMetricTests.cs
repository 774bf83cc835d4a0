using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>AUC, DeLong, bootstrap, ROC-derived metrics against scikit-learn / numpy reference values.</summary>
public class RankMetricTests
{
    public static IEnumerable<object[]> Cases => CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void RocAucCompute_FixtureCase_MatchesSklearn(string name)
    {
        var c = Case(name);
        Near(c.Expected.GetProperty("auc").NumberOrNull(), Defined(RocAuc.Compute(c.Scores, c.Labels)), name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DeLongCompute_FixtureCase_MatchesPairwiseStructuralComponents(string name)
    {
        var c = Case(name);
        var expected = c.Expected.GetProperty("delong");
        var actual = DeLong.Compute(c.Scores, c.Labels);
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null) { Assert.Null(actual); return; }
        Assert.NotNull(actual);
        Near(expected.GetProperty("auc").GetDouble(), actual.Auc, name + " auc");
        Near(expected.GetProperty("variance").GetDouble(), actual.Variance, name + " variance");
        Near(expected.GetProperty("ci").IntervalOrNull(), actual.Ci95, name + " ci");
    }

    [Fact]
    public void DeLongCompute_HanleyMcNeilRatings_MatchesPublishedStataExample()
    {
        // Hanley & McNeil 1982 Table 1 (typed here from the paper): ratings 1..5 of 58 normal and 51 abnormal
        // CT images. Stata [R] roctab's example on these data prints area 0.8932, std. err. 0.0307 and the
        // asymptotic normal 95 % CI 0.83295–0.95339 (roctab's default standard error is DeLong's).
        var normal = new[] { 33, 6, 6, 11, 2 };
        var abnormal = new[] { 3, 2, 2, 11, 33 };
        var scores = new List<double>();
        var labels = new List<bool>();
        for (var r = 0; r < 5; r++)
        {
            for (var k = 0; k < normal[r]; k++) { scores.Add(r + 1); labels.Add(false); }
            for (var k = 0; k < abnormal[r]; k++) { scores.Add(r + 1); labels.Add(true); }
        }
        var result = DeLong.Compute(scores.ToArray(), labels.ToArray())!;
        Assert.Equal(0.8932, Math.Round(result.Auc, 4));
        Assert.Equal(0.0307, Math.Round(result.StandardError, 4));
        Assert.Equal(0.83295, Math.Round(result.Ci95.Low, 5));
        Assert.Equal(0.95339, Math.Round(result.Ci95.High, 5));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BootstrapAucCompute_FixtureCase_MatchesExplicitResamplingWithSklearn(string name)
    {
        var c = Case(name);
        var expected = c.Expected.GetProperty("bootstrap");
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null)
        {
            Assert.Null(BootstrapAuc.Compute(c.Scores, c.Labels, c.Groups));
            return;
        }
        var actual = BootstrapAuc.Compute(c.Scores, c.Labels, c.Groups,
            expected.GetProperty("resamples").GetInt32(), expected.GetProperty("seed").GetUInt64())!;
        Assert.Equal(expected.GetProperty("valid").GetInt32(), actual.Valid);
        Near(expected.GetProperty("ci").IntervalOrNull(), actual.Ci95, name);
    }

    [Fact]
    public void BootstrapAucCompute_SameSeed_IsReproducibleAndSeedMatters()
    {
        var c = Case("continuous");
        var a = BootstrapAuc.Compute(c.Scores, c.Labels, c.Groups, 500, 1)!;
        var b = BootstrapAuc.Compute(c.Scores, c.Labels, c.Groups, 500, 1)!;
        var other = BootstrapAuc.Compute(c.Scores, c.Labels, c.Groups, 500, 2)!;
        Assert.Equal(a.Ci95, b.Ci95);
        Assert.NotEqual(a.Ci95, other.Ci95);
        Assert.Equal(30, a.Groups);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AveragePrecisionCompute_FixtureCase_MatchesSklearn(string name)
    {
        var c = Case(name);
        Near(c.Expected.GetProperty("averagePrecision").NumberOrNull(), Defined(AveragePrecision.Compute(c.Scores, c.Labels)), name);
    }

    [Fact]
    public void RocAucCompute_NaNScore_Throws()
    {
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1, double.NaN], [true, false]));
        Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1, 0.2], [true]));
    }

    [Fact]
    public void RocCurveCompute_TiedScores_OnePointPerDistinctScoreDescending()
    {
        var roc = RocCurve.Compute([0.2, 0.8, 0.8, 0.5], [false, true, false, true]);
        Assert.Equal([0.8, 0.5, 0.2], roc.Thresholds);
        Assert.Equal([1, 2, 2], roc.TruePositives);
        Assert.Equal([1, 1, 2], roc.FalsePositives);
    }
}
