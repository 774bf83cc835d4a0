namespace Ich.Metrics.Tests;

public class PairedComparisonMarkdownTests
{
    [Fact]
    public void RenderComparison_NoValidReplicate_SaysSoInsteadOfPrintingNaN()
    {
        // Two scans, one all positive and one all negative: a replicate that draws the same scan twice has one class
        // only. With one replicate, search the seeds for such a draw (half of them are).
        double[] a = [0.9, 0.8, 0.2, 0.1], b = [0.7, 0.6, 0.4, 0.3];
        bool[] labels = [true, true, false, false];
        string[] groups = ["s1", "s1", "s2", "s2"];
        var none = Enumerable.Range(1, 64).Select(seed => PairedBootstrapAuc.Compute(a, b, labels, groups, resamples: 1, seed: (ulong)seed)!)
            .First(r => r.Valid == 0);
        Assert.Null(none.Ci95);
        var paired = new Ich.Metrics.Evaluation.PairedComparison("A", "B", 4, 0, 0,
            [new Ich.Metrics.Evaluation.PairedLevel("slice", 4, 2, [new Ich.Metrics.Evaluation.PairedClass("any", 2, 2, none)])]);

        var markdown = Ich.Metrics.Reporting.MetricsMarkdown.RenderComparison([], [paired]);

        Assert.DoesNotContain("NaN", markdown);
        Assert.Contains("| slice | any | 2 / 2 | 1.000 | 1.000 | 0.000 (no valid replicate) | – (no valid replicate) |", markdown);
    }

    [Fact]
    public void RenderComparison_NegativeInterval_WritesSignedEndsWithTo()
    {
        var result = new PairedAucResult(0.9, 0.88, -0.02, 100, 100, 1, 10, new Interval(-0.05, 0.01), 0.2);
        var paired = new Ich.Metrics.Evaluation.PairedComparison("A", "B", 4, 0, 0,
            [new Ich.Metrics.Evaluation.PairedLevel("scan", 4, 4, [new Ich.Metrics.Evaluation.PairedClass("any", 2, 2, result)])]);

        var markdown = Ich.Metrics.Reporting.MetricsMarkdown.RenderComparison([], [paired]);

        Assert.Contains("| -0.020 (-0.0500 to +0.0100) | 20 % of 100 |", markdown);
    }
}
