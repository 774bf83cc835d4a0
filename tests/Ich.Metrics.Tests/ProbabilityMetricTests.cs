using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>Log-loss (binary and the RSNA weighted multi-label form) and calibration against scikit-learn.</summary>
public class ProbabilityMetricTests
{
    public static IEnumerable<object[]> Cases => CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public void BinaryLogLoss_FixtureCase_MatchesSklearnLogLoss(string name)
    {
        var c = Case(name);
        var expected = c.Expected.GetProperty("logLoss").NumberOrNull();
        if (expected is null) return; // ratings, not probabilities (Hanley–McNeil)
        Near(expected, BinaryLogLoss.Compute(c.Scores, c.Labels), name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Calibration_FixtureCase_MatchesSklearnCalibrationCurve(string name)
    {
        var c = Case(name);
        var expected = c.Expected.GetProperty("calibration");
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null) return;
        var table = Calibration.Compute(c.Scores, c.Labels, 10);
        var bins = expected.GetProperty("bins").EnumerateArray().ToArray();
        Assert.Equal(bins.Length, table.Bins.Count);
        for (var b = 0; b < bins.Length; b++)
        {
            Assert.Equal(bins[b].GetProperty("count").GetInt32(), table.Bins[b].Count);
            Near(bins[b].GetProperty("meanPredicted").NumberOrNull(), table.Bins[b].MeanPredicted, $"{name} bin {b} mean");
            Near(bins[b].GetProperty("fractionPositive").NumberOrNull(), table.Bins[b].FractionPositive, $"{name} bin {b} fraction");
        }
        Near(expected.GetProperty("ece").GetDouble(), table.Ece, name + " ECE");
    }

    [Fact]
    public void WeightedLogLoss_MultilabelFixture_MatchesSklearnWeightedAverage()
    {
        var f = Load("multilabel.json");
        var p = f.GetProperty("probabilities").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var y = f.GetProperty("labels").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32() == 1).ToArray()).ToArray();
        var result = WeightedLogLoss.Compute(p, y);
        var expected = f.GetProperty("expected");
        Near(expected.GetProperty("weightedLogLoss").GetDouble(), result.Total, "weighted");
        var perClass = expected.GetProperty("perClass").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var c = 0; c < 6; c++) Near(perClass[c], result.PerClass[c], $"class {c}");
    }

    [Fact]
    public void WeightedLogLossComputeFlat_SameDataAsFloats_AgreesWithDoubleVersionToFloatPrecision()
    {
        var f = Load("multilabel.json");
        var p = f.GetProperty("probabilities").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (float)v.GetDouble())).ToArray();
        var y = f.GetProperty("labels").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (float)v.GetInt32())).ToArray();
        var flat = WeightedLogLoss.ComputeFlat(p, y);
        var expected = f.GetProperty("expected").GetProperty("weightedLogLoss").GetDouble();
        Assert.True(Math.Abs(flat.Total - expected) < 1e-6, $"{flat.Total} vs {expected}");
    }

    [Fact]
    public void MultiLabelAucCompute_FlatMultilabelFixture_MatchesSklearnPerClass()
    {
        var f = Load("multilabel.json");
        var p = f.GetProperty("probabilities").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var y = f.GetProperty("labels").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => (float)v.GetInt32())).ToArray();
        // The fixture is in double; casting to float keeps each class's ordering here (a new tie or swap would show as a mismatch).
        var auc = MultiLabelAuc.Compute(p.Select(v => (float)v).ToArray(), y);
        var expected = f.GetProperty("expected").GetProperty("aucPerClass").EnumerateArray().Select(e => e.NumberOrNull()).ToArray();
        for (var c = 0; c < 6; c++) Near(expected[c], Defined(auc[c]), $"class {c}");
    }

    [Fact]
    public void WeightedLogLoss_HandComputedTwoRows_EqualsWeightedMeanOfClassMeans()
    {
        // Row 1 all p = 0.5 with any = 1; row 2 all p = 0.5 with every label 0: every term is ln 2.
        var p = new[] { Enumerable.Repeat(0.5, 6).ToArray(), Enumerable.Repeat(0.5, 6).ToArray() };
        var y = new[] { new[] { true, false, false, false, false, false }, new bool[6] };
        Assert.Equal(Math.Log(2), WeightedLogLoss.Compute(p, y).Total, 15);
        // Clipping: p = 0 for a positive costs −ln(1e-15) = 34.5387...
        Assert.Equal(-Math.Log(1e-15), BinaryLogLoss.Compute([0.0], [true]), 12);
    }

    [Fact]
    public void BinaryLogLoss_ProbabilityOutsideUnitInterval_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryLogLoss.Compute([1.2], [true]));
        Assert.Throws<ArgumentException>(() => BinaryLogLoss.Compute([double.NaN], [true]));
    }
}
