using System.Globalization;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>Paired comparisons of two evaluations of the PhysioNet end-to-end fixture (slice and scan level).</summary>
public sealed class PairedComparisonsTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ich-paired-").FullName;
    private static string Folder => Path.Combine(Dir, "e2e-physionet");
    private static readonly EvaluationOptions Options = new() { BootstrapResamples = 200, BootstrapSeed = 11 };

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static EvaluationReport Evaluate(string name, string predictions) =>
        Evaluator.Run(name, predictions, Path.Combine(Folder, "hemorrhage_diagnosis.csv"), LabelFormat.Physionet, Options);

    /// <summary>The fixture's predictions with rows dropped and every probability transformed.</summary>
    private string Variant(string name, Func<string[], bool> keep, Func<double, double> transform)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "predictions.csv"));
        var rows = lines.Skip(1).Select(l => l.Split(',')).Where(keep).Select(f =>
            string.Join(',', f.Take(4).Concat(f.Skip(4).Select(v => transform(double.Parse(v, CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture)))));
        var path = Path.Combine(_temp, name + ".csv");
        File.WriteAllLines(path, new[] { lines[0] }.Concat(rows));
        return path;
    }

    [Fact]
    public void Compute_StrictlyIncreasingTransform_EveryDefinedDifferenceIsZeroAtBothLevels()
    {
        var baseline = Evaluate("a", Path.Combine(Folder, "predictions.csv"));
        var other = Evaluate("b", Variant("squared", _ => true, p => p * p));

        var paired = PairedComparisons.Compute(baseline, other);

        Assert.Equal(baseline.Join.Matched, paired.Common);
        Assert.Equal((0, 0), (paired.OnlyBaseline, paired.OnlyOther));
        Assert.Equal(["slice", "scan"], paired.Levels.Select(l => l.Level));
        var defined = paired.Levels.SelectMany(l => l.Classes).Where(c => c.Result is not null).ToList();
        Assert.NotEmpty(defined);
        Assert.All(defined, c => Assert.Equal((0.0, new Interval(0, 0)), (c.Result!.Difference, c.Result.Ci95!.Value)));
        // And each file's own AUCs are those its evaluation reported.
        foreach (var level in paired.Levels)
            foreach (var c in level.Classes.Where(c => c.Result is not null))
                Assert.Equal(baseline.Levels.Single(l => l.Level == level.Level).Classes.Single(x => x.Name == c.Name).Auc!.Value, c.Result!.AucBaseline, 12);
    }

    [Fact]
    public void Compute_OtherFileLacksAScan_ComparesOnlyTheCommonSlices_AndRebuildsTheScanLevelFromThem()
    {
        var baseline = Evaluate("a", Path.Combine(Folder, "predictions.csv"));
        var firstScan = baseline.JoinedRows[0].ScanId;
        var other = Evaluate("b", Variant("without-first-scan", f => f[0] != firstScan, p => 1 - p));

        var paired = PairedComparisons.Compute(baseline, other);

        var dropped = baseline.JoinedRows.Count(r => r.ScanId == firstScan);
        Assert.True(dropped > 0);
        Assert.Equal(baseline.Join.Matched - dropped, paired.Common);
        Assert.Equal((dropped, 0), (paired.OnlyBaseline, paired.OnlyOther));
        var scanLevel = paired.Levels.Single(l => l.Level == "scan");
        Assert.Equal(baseline.Levels.Single(l => l.Level == "scan").N - 1, scanLevel.N);
        // 1 − p reverses every ranking: on the common slices the other AUC is 1 − the baseline's.
        foreach (var c in paired.Levels.Single(l => l.Level == "slice").Classes.Where(c => c.Result is not null))
            Assert.Equal(1 - c.Result!.AucBaseline, c.Result.AucOther, 12);
    }

    [Fact]
    public void Compute_SubtypeMean_AveragesTheDefinedSubtypes_AndReachesBothReports()
    {
        var baseline = Evaluate("a", Path.Combine(Folder, "predictions.csv"));
        var other = Evaluate("b", Variant("reversed", _ => true, p => 1 - p));

        var paired = PairedComparisons.Compute(baseline, other);

        foreach (var level in paired.Levels)
        {
            var subtypes = level.Classes.Where(c => c.Name != "any" && c.Result is not null).ToList();
            Assert.Equal(subtypes.Count, level.SubtypesInMean);
            Assert.True(level.SubtypesInMean > 0);
            Assert.Equal(subtypes.Average(c => c.Result!.AucBaseline), level.SubtypeMean!.AucBaseline, 12);
            Assert.Equal(subtypes.Average(c => c.Result!.Difference), level.SubtypeMean.Difference, 12);
        }
        var markdown = Ich.Metrics.Reporting.MetricsMarkdown.RenderComparison([baseline, other], [paired]);
        var slice = paired.Levels.Single(l => l.Level == "slice");
        Assert.Contains($"| slice | subtypes (mean of {slice.SubtypesInMean}) | – | {slice.SubtypeMean!.AucBaseline.ToString("0.000", CultureInfo.InvariantCulture)} |", markdown);
        using var json = System.Text.Json.JsonDocument.Parse(Ich.Metrics.Reporting.PairedComparisonJson.ToJson([paired]));
        var mean = json.RootElement.GetProperty("comparisons")[0].GetProperty("levels").GetProperty("slice").GetProperty("subtypeMean");
        Assert.Equal(slice.SubtypesInMean, mean.GetProperty("subtypes").GetInt32());
        Assert.Equal(slice.SubtypeMean.Difference, mean.GetProperty("difference").GetDouble(), 12);
    }
}
