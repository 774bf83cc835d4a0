using System.Text.Json;
using Ich.Core;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.Metrics.Reporting;
using Ich.TestKit;
using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>
/// The whole evaluation (read, join, scan aggregation, per-class metrics, metrics.json) on the committed
/// end-to-end fixtures, against values the fixture script computed with scikit-learn after its own join.
/// </summary>
public class EvaluatorEndToEndTests
{
    public static IEnumerable<object[]> Datasets =>
    [
        ["e2e-rsna", "labels.csv", "rsna"],
        ["e2e-physionet", "hemorrhage_diagnosis.csv", "physionet"],
        ["e2e-cq500", "reads.csv", "cq500"],
    ];

    private static (EvaluationReport Report, JsonElement Expected) Run(string folder, string labels, string format)
    {
        var dir = Path.Combine(Dir, folder);
        var expected = Load(Path.Combine(folder, "expected.json"));
        var boot = expected.GetProperty("bootstrap");
        var options = new EvaluationOptions
        {
            BootstrapResamples = boot.GetProperty("resamples").GetInt32(),
            BootstrapSeed = boot.GetProperty("seed").GetUInt64(),
        };
        var report = Evaluator.Run(folder, Path.Combine(dir, "predictions.csv"), Path.Combine(dir, labels),
            LabelFormats.Parse(format), options);
        return (report, expected);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void EvaluatorRun_Fixture_MatchesSklearnAtEveryLevelAndClass(string folder, string labels, string format)
    {
        var (report, expected) = Run(folder, labels, format);
        var join = expected.GetProperty("join");
        Assert.Equal(join.GetProperty("matched").GetInt32(), report.Join.Matched);
        Assert.Equal(join.GetProperty("predictionsWithoutLabel").GetInt32(), report.Join.PredictionsWithoutLabel);
        Assert.Equal(join.GetProperty("labelsWithoutPrediction").GetInt32(), report.Join.LabelsWithoutPrediction);

        var levels = new[] { "slice", "scan" }.Where(l => expected.TryGetProperty(l, out _)).ToArray();
        Assert.Equal(levels, report.Levels.Select(l => l.Level).ToArray());
        foreach (var level in report.Levels)
        {
            var e = expected.GetProperty(level.Level);
            Assert.Equal(e.GetProperty("n").GetInt32(), level.N);
            Near(e.GetProperty("weightedLogLoss").GetDouble(), level.LogLoss.Total, $"{folder} {level.Level} log-loss");
            foreach (var c in level.Classes)
            {
                var ec = e.GetProperty(c.Name);
                var what = $"{folder} {level.Level} {c.Name}";
                Assert.Equal(ec.GetProperty("nPositive").GetInt32(), c.NPositive);
                Assert.Equal(ec.GetProperty("nNegative").GetInt32(), c.NNegative);
                Near(ec.GetProperty("auc").NumberOrNull(), c.Auc, what + " auc");
                Near(ec.GetProperty("aucCi95DeLong").IntervalOrNull(), c.DeLong?.Ci95, what + " DeLong");
                Near(ec.GetProperty("aucCi95Bootstrap").IntervalOrNull(), c.Bootstrap?.Ci95, what + " bootstrap");
                Near(ec.GetProperty("threshold").NumberOrNull(), c.OperatingPoint?.Threshold, what + " threshold");
                Near(ec.GetProperty("sensitivity").NumberOrNull(), c.OperatingPoint?.Sensitivity, what + " sensitivity");
                Near(ec.GetProperty("specificity").NumberOrNull(), c.OperatingPoint?.Specificity, what + " specificity");
                Near(ec.GetProperty("sensitivityCi95").IntervalOrNull(), c.OperatingPoint?.SensitivityCi95, what + " sensitivity CI");
                Near(ec.GetProperty("averagePrecision").NumberOrNull(), c.AveragePrecision, what + " AP");
            }
        }
    }

    [Fact]
    public void EvaluatorRun_RsnaFixture_ReportsUndefinedClassAndKnownCorruptImage()
    {
        var (report, _) = Run("e2e-rsna", "labels.csv", "rsna");
        var epidural = report.Levels[0].Classes[HemorrhageClasses.IndexOf("epidural")];
        Assert.Equal(0, epidural.NPositive);
        Assert.Null(epidural.Auc);
        Assert.Contains("no positive cases", epidural.Note);
        Assert.Contains(report.Notes, n => n.Contains("ID_6431af929"));
        Assert.Equal(["ID_6431af929"], report.Join.ExampleLabelsWithoutPrediction);
        Assert.Equal(3, report.Join.DuplicateLabelRows);

        var json = JsonDocument.Parse(MetricsJson.ToJson(report)).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("slice").GetProperty("epidural").GetProperty("auc").ValueKind);
        Assert.Contains("no positive", json.GetProperty("slice").GetProperty("epidural").GetProperty("note").GetString());
    }

    [Fact]
    public void MetricsJson_ContractKeys_PresentForEveryLevelAndClass()
    {
        var (report, _) = Run("e2e-physionet", "hemorrhage_diagnosis.csv", "physionet");
        var json = JsonDocument.Parse(MetricsJson.ToJson(report)).RootElement;
        foreach (var level in new[] { "slice", "scan" })
        {
            var l = json.GetProperty(level);
            Assert.Equal(JsonValueKind.Number, l.GetProperty("weightedLogLoss").ValueKind);
            foreach (var name in HemorrhageClasses.Names)
                foreach (var key in new[] { "auc", "aucCi95DeLong", "aucCi95Bootstrap", "sensitivity", "specificity", "threshold", "nPositive", "nNegative" })
                    Assert.True(l.GetProperty(name).TryGetProperty(key, out _), $"{level}.{name}.{key} missing");
            Assert.True(json.GetProperty("thresholds").GetProperty(level).TryGetProperty("any", out _));
        }
    }

    [Fact]
    public void ThresholdsFromMetricsJson_AppliedToAnotherRun_ReproduceTheChosenThresholdsAndCounts()
    {
        var (source, _) = Run("e2e-rsna", "labels.csv", "rsna");
        var dir = RepoPaths.NewTempDir("ich-metrics");
        try
        {
            var written = Path.Combine(dir, "metrics.json");
            MetricsJson.Write(source, written);
            var thresholds = ThresholdSet.Read(written);
            Assert.Equal("youden", thresholds.Rule);
            var fixtures = Path.Combine(Dir, "e2e-rsna");
            var applied = Evaluator.Run("applied", Path.Combine(fixtures, "predictions.csv"), Path.Combine(fixtures, "labels.csv"),
                LabelFormat.Rsna, new EvaluationOptions { Thresholds = thresholds, BootstrapResamples = 10 });
            for (var l = 0; l < 2; l++)
                for (var c = 0; c < HemorrhageClasses.Count; c++)
                {
                    var a = source.Levels[l].Classes[c].OperatingPoint;
                    var b = applied.Levels[l].Classes[c].OperatingPoint;
                    Assert.Equal(a?.Threshold, b?.Threshold);
                    Assert.Equal(a?.TruePositives, b?.TruePositives);
                    Assert.Equal(a?.FalsePositives, b?.FalsePositives);
                    if (b is not null) Assert.Equal(ThresholdRule.Fixed, b.Rule);
                }
            var json = JsonDocument.Parse(MetricsJson.ToJson(applied)).RootElement;
            Assert.Equal("file", json.GetProperty("options").GetProperty("thresholdRule").GetString());
            Assert.Equal("youden", json.GetProperty("thresholds").GetProperty("rule").GetString());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void EvaluatorRun_Cq500SliceLevelRequested_IsAConfigError()
    {
        var dir = Path.Combine(Dir, "e2e-cq500");
        Assert.Throws<Ich.Core.Errors.ConfigException>(() => Evaluator.Run("x", Path.Combine(dir, "predictions.csv"),
            Path.Combine(dir, "reads.csv"), LabelFormat.Cq500, new EvaluationOptions { Levels = EvaluationLevels.Slice }));
    }

    [Fact]
    public void MetricsMarkdown_RsnaFixture_HasPaperTable4Rows()
    {
        var (report, _) = Run("e2e-rsna", "labels.csv", "rsna");
        var md = MetricsMarkdown.Render(report);
        Assert.Contains("|  | AUC | Specificity | Sensitivity |", md);
        foreach (var abbr in HemorrhageClasses.Abbreviations) Assert.Contains($"| {abbr} |", md);
        Assert.Contains("| EDH | undefined |", md);
        var comparison = MetricsMarkdown.RenderComparison([report, report with { Name = "second" }]);
        Assert.Contains("|  | Log_loss | AUC | Specificity | Sensitivity |", comparison);
        Assert.Contains("| second |", comparison);
    }
}
