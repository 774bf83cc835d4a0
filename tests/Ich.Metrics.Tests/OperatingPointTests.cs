using System.Text.Json;
using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>Thresholds, confusion counts, sensitivity/specificity and Wilson intervals against sklearn/statsmodels.</summary>
public class OperatingPointTests
{
    public static IEnumerable<object[]> Cases => CaseNames();

    private static void Same(JsonElement expected, OperatingPoint? actual, string what)
    {
        if (expected.ValueKind == JsonValueKind.Null) { Assert.Null(actual); return; }
        Assert.NotNull(actual);
        Assert.Equal(expected.GetProperty("threshold").GetDouble(), actual.Threshold);
        Assert.Equal(expected.GetProperty("tp").GetInt32(), actual.TruePositives);
        Assert.Equal(expected.GetProperty("fp").GetInt32(), actual.FalsePositives);
        Assert.Equal(expected.GetProperty("tn").GetInt32(), actual.TrueNegatives);
        Assert.Equal(expected.GetProperty("fn").GetInt32(), actual.FalseNegatives);
        Near(expected.GetProperty("sensitivity").NumberOrNull(), actual.Sensitivity, what + " sensitivity");
        Near(expected.GetProperty("specificity").NumberOrNull(), actual.Specificity, what + " specificity");
        Near(expected.GetProperty("sensitivityCi95").IntervalOrNull(), actual.SensitivityCi95, what + " sensitivity CI");
        Near(expected.GetProperty("specificityCi95").IntervalOrNull(), actual.SpecificityCi95, what + " specificity CI");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Youden_FixtureCase_MatchesSklearnRocArgmax(string name)
    {
        var c = Case(name);
        Same(c.Expected.GetProperty("youden"), OperatingPoints.Youden(c.Scores, c.Labels), name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AtThreshold_HalfOnFixtureCase_MatchesSklearnConfusionMatrix(string name)
    {
        var c = Case(name);
        Same(c.Expected.GetProperty("fixedThreshold"), OperatingPoints.AtThreshold(c.Scores, c.Labels, 0.5), name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AtTargetSensitivity_FixtureCase_MatchesSklearnRoc(string name)
    {
        var c = Case(name);
        foreach (var target in new[] { 0.95, 0.8 })
        {
            var expected = c.Expected.GetProperty("targetSensitivity").GetProperty(target.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Same(expected, OperatingPoints.AtTargetSensitivity(c.Scores, c.Labels, target), $"{name} @ {target}");
        }
    }

    [Fact]
    public void WilsonInterval_NewcombeExamples_MatchPublishedValues()
    {
        // Newcombe 1998 (Stat Med 17:857), Table I, method 3 (Wilson score): 81/263 → 0.2553–0.3662; 0/20 → 0–0.1611.
        var a = WilsonInterval.Compute(81, 263)!.Value;
        Assert.Equal(0.2553, Math.Round(a.Low, 4));
        Assert.Equal(0.3662, Math.Round(a.High, 4));
        var b = WilsonInterval.Compute(0, 20)!.Value;
        Assert.Equal(0, b.Low);
        Assert.Equal(0.1611, Math.Round(b.High, 4));
        Assert.Null(WilsonInterval.Compute(0, 0));
    }
}
