using System.Text.Json;
using Ich.Core;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.Metrics.Reporting;
using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>
/// <see cref="NegativeSplit"/>: a subtype's positives scored apart against clean items and against items that bleed
/// otherwise, per level, with the same bootstrap as every other AUC; asked for with <c>--split-negatives</c>.
/// </summary>
public class NegativeSplitTests
{
    private static readonly int Any = HemorrhageClasses.IndexOf("any");
    private static readonly int Epidural = HemorrhageClasses.IndexOf("epidural");
    private static readonly int Subdural = HemorrhageClasses.IndexOf("subdural");

    private static EvaluationRow Row(string scan, int slice, double epidural, params int[] present)
    {
        var p = new double[HemorrhageClasses.Count];
        var y = new bool[HemorrhageClasses.Count];
        p[Epidural] = epidural;
        foreach (var c in present) y[c] = true;
        if (present.Length > 0) y[Any] = true;
        return new EvaluationRow(scan, $"{scan}/{slice}", p, y);
    }

    [Fact]
    public void Compute_ScoresPositivesAgainstCleanAndAgainstOtherBleedsApart()
    {
        // Epidural positives 0.8 and 0.9; clean slices 0.1 and 0.2; subdural-only slices 0.85 and 0.7.
        var rows = new List<EvaluationRow>
        {
            Row("a", 0, 0.1), Row("a", 1, 0.8, Epidural), Row("a", 2, 0.85, Subdural),
            Row("b", 0, 0.2), Row("b", 1, 0.9, Epidural, Subdural), Row("b", 2, 0.7, Subdural),
        };

        var split = NegativeSplit.Compute("slice", rows, new EvaluationOptions { BootstrapResamples = 50 });

        Assert.Equal(HemorrhageClasses.Names.Where(n => n != "any"), split.Select(r => r.Class));
        var edh = split.Single(r => r.Class == "epidural");
        Assert.Equal((2, 2, 2), (edh.NPositive, edh.Clean.NNegative, edh.OtherBleed.NNegative));
        Assert.Equal(1.0, edh.Clean.Auc);
        Assert.Equal(0.75, edh.OtherBleed.Auc!.Value, 12);       // 0.8 > 0.7; 0.9 > 0.85 and 0.7; 0.8 < 0.85
        Assert.NotNull(edh.OtherBleed.Bootstrap);
        Assert.Equal(50, edh.OtherBleed.Bootstrap!.Resamples);
        // Subdural: the epidural-only slice is its one "other bleed"; every subdural score is 0, so both AUCs are ties.
        var sdh = split.Single(r => r.Class == "subdural");
        Assert.Equal((3, 2, 1), (sdh.NPositive, sdh.Clean.NNegative, sdh.OtherBleed.NNegative));
        Assert.Equal((0.5, 0.5), (sdh.Clean.Auc, sdh.OtherBleed.Auc));
        var ivh = split.Single(r => r.Class == "intraventricular");
        Assert.Equal((0, null, null), (ivh.NPositive, ivh.Clean.Auc, ivh.OtherBleed.Auc));

        // With epidural the only bleed there is no other bleed to tell it from: undefined, not a number.
        var alone = NegativeSplit.Compute("slice", rows.Take(2).Append(Row("b", 0, 0.2)).ToList(), new EvaluationOptions { BootstrapResamples = 50 })
            .Single(r => r.Class == "epidural");
        Assert.Equal((0, null, null), (alone.OtherBleed.NNegative, alone.OtherBleed.Auc, alone.OtherBleed.Bootstrap));
        Assert.Equal(1.0, alone.Clean.Auc);
    }

    [Fact]
    public void Evaluator_OnlyWhenAsked_BothLevels_IntoJsonAndMarkdown()
    {
        var dir = Path.Combine(Dir, "e2e-rsna");
        EvaluationReport Run(bool split) => Evaluator.Run("e2e", Path.Combine(dir, "predictions.csv"), Path.Combine(dir, "labels.csv"), LabelFormat.Rsna,
            new EvaluationOptions { BootstrapResamples = 20, SplitNegatives = split });

        Assert.Null(Run(false).NegativeSplit);
        Assert.DoesNotContain("negativeSplit", MetricsJson.ToJson(Run(false)));
        var report = Run(true);

        Assert.Equal(["slice", "scan"], report.NegativeSplit!.Select(r => r.Level).Distinct());
        foreach (var level in report.Levels)
        {
            var rows = level.Level == "slice" ? report.JoinedRows : ScanAggregation.MaxOverSlices(report.JoinedRows);
            foreach (var r in report.NegativeSplit!.Where(r => r.Level == level.Level))
            {
                var c = HemorrhageClasses.IndexOf(r.Class);
                // The two groups partition the class's negatives, and each AUC is a plain Mann–Whitney count over its group.
                Assert.Equal(level.Classes[c].NNegative, r.Clean.NNegative + r.OtherBleed.NNegative);
                Near(MannWhitney(rows, c, clean: true), r.Clean.Auc, $"{level.Level} {r.Class} clean");
                Near(MannWhitney(rows, c, clean: false), r.OtherBleed.Auc, $"{level.Level} {r.Class} other bleed");
            }
        }
        using var json = JsonDocument.Parse(MetricsJson.ToJson(report));
        var first = json.RootElement.GetProperty("negativeSplit").GetProperty("rows")[0];
        Assert.Equal("slice", first.GetProperty("level").GetString());
        Assert.Equal(report.NegativeSplit![0].OtherBleed.NNegative, first.GetProperty("otherBleed").GetProperty("nNegative").GetInt32());
        Assert.Contains("| level | class | positives | against clean items | against other bleeds |", MetricsMarkdown.Render(report));
    }

    private static double? MannWhitney(IReadOnlyList<EvaluationRow> rows, int c, bool clean)
    {
        var any = HemorrhageClasses.IndexOf("any");
        var pos = rows.Where(r => r.Labels[c]).Select(r => r.Probabilities[c]).ToList();
        var neg = rows.Where(r => !r.Labels[c] && r.Labels[any] != clean).Select(r => r.Probabilities[c]).ToList();
        if (pos.Count == 0 || neg.Count == 0) return null;
        var wins = pos.Sum(p => neg.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0.0));
        return wins / (pos.Count * (double)neg.Count);
    }
}
