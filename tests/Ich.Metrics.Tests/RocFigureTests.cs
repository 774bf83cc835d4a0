using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.Metrics.Reporting;
using Ich.TestKit;
using SkiaSharp;
using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>roc.png: size, one panel per level, curves in colour and text actually drawn.</summary>
public class RocFigureTests
{
    private static EvaluationReport Report()
    {
        var dir = Path.Combine(Dir, "e2e-rsna");
        return Evaluator.Run("rsna fixture", Path.Combine(dir, "predictions.csv"), Path.Combine(dir, "labels.csv"),
            LabelFormat.Rsna, new EvaluationOptions { BootstrapResamples = 20 });
    }

    [Fact]
    public void RocFigureSave_TwoLevels_WritesTwoPanelsWithTextAndCurves()
    {
        var dir = RepoPaths.NewTempDir("ich-roc");
        try
        {
            var path = Path.Combine(dir, "roc.png");
            RocFigure.Save(Report(), path);
            using var bitmap = SKBitmap.Decode(path);
            Assert.Equal(2 * RocFigure.PanelWidth, bitmap.Width);
            Assert.Equal(RocFigure.PanelHeight, bitmap.Height);

            for (var panel = 0; panel < 2; panel++)
            {
                var x0 = panel * RocFigure.PanelWidth;
                // The x-axis label sits in the bottom strip, below the tick labels: dark pixels there are text.
                var darkInLabelStrip = Count(bitmap, x0 + 150, x0 + 500, RocFigure.PanelHeight - 30, RocFigure.PanelHeight - 2,
                    c => c.Red < 100 && c.Green < 100 && c.Blue < 100);
                Assert.True(darkInLabelStrip > 150, $"panel {panel}: only {darkInLabelStrip} dark pixels where the x-axis label belongs");
                // The title strip at the top holds text as well.
                var darkInTitle = Count(bitmap, x0 + 50, x0 + 600, 0, 40, c => c.Red < 100 && c.Green < 100 && c.Blue < 100);
                Assert.True(darkInTitle > 150, $"panel {panel}: only {darkInTitle} dark pixels in the title strip");
            }
            // Curves: several saturated class colours (orange, sky blue, green, purple, blue) are present.
            var colours = new HashSet<SKColor>();
            for (var y = 0; y < bitmap.Height; y++)
                for (var x = 0; x < bitmap.Width; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 80)
                        colours.Add(new SKColor((byte)(c.Red / 32 * 32), (byte)(c.Green / 32 * 32), (byte)(c.Blue / 32 * 32)));
                }
            Assert.True(colours.Count >= 5, $"only {colours.Count} saturated colour buckets: curves missing?");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RocFigureSave_SameReportTwice_ByteIdenticalPng()
    {
        var dir = RepoPaths.NewTempDir("ich-roc");
        try
        {
            var report = Report();
            string a = Path.Combine(dir, "a.png"), b = Path.Combine(dir, "b.png");
            RocFigure.Save(report, a);
            RocFigure.Save(report, b);
            Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void EvaluationOutputWrite_Report_WritesAllThreeFiles()
    {
        var dir = RepoPaths.NewTempDir("ich-eval-out");
        try
        {
            var files = EvaluationOutput.Write(Report(), dir);
            Assert.Equal(["metrics.json", "metrics.md", "roc.png"], files.Select(f => Path.GetFileName(f)!).ToArray());
            Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, f));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Corners_CollinearPoints_AreDroppedWithoutChangingTheCurve()
    {
        // Scores 0.9, 0.8, 0.7 all positive, then 0.6, 0.5 negative: a vertical run then a horizontal run.
        var roc = RocCurve.Compute([0.9, 0.8, 0.7, 0.6, 0.5], [true, true, true, false, false]);
        var (x, y) = RocFigure.Corners(roc);
        Assert.Equal([0.0, 0.0, 1.0], x);
        Assert.Equal([0.0, 1.0, 1.0], y);
    }

    private static int Count(SKBitmap bitmap, int x0, int x1, int y0, int y1, Func<SKColor, bool> predicate)
    {
        var n = 0;
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
                if (predicate(bitmap.GetPixel(x, y))) n++;
        return n;
    }
}
