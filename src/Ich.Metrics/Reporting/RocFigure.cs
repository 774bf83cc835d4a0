using Ich.Core;
using Ich.Metrics.Evaluation;
using ScottPlot;
using SkiaSharp;

namespace Ich.Metrics.Reporting;

/// <summary>
/// roc.png: one panel per evaluated level (side by side), each with the ROC curves of the six classes
/// (legend: class and AUC), the chance diagonal and the chosen operating point of each class as a dot.
/// Classes whose AUC is undefined are listed in the legend without a curve.
/// </summary>
public static class RocFigure
{
    public const int PanelWidth = 640;
    public const int PanelHeight = 600;

    // Colour-blind-safe Okabe–Ito colours, one per class.
    private static readonly string[] ClassColours = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2"];

    public static void Save(EvaluationReport report, string path)
    {
        var font = PlotFont.Ensure();
        var levels = report.Levels;
        using var surface = SKSurface.Create(new SKImageInfo(PanelWidth * levels.Count, PanelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < levels.Count; i++)
        {
            // Each panel gets its own surface: ScottPlot clears the whole canvas it renders on.
            var plot = Panel(report.Name, levels[i], font);
            using var panel = SKSurface.Create(new SKImageInfo(PanelWidth, PanelHeight));
            plot.Render(panel.Canvas, PanelWidth, PanelHeight);
            using var snapshot = panel.Snapshot();
            surface.Canvas.DrawImage(snapshot, i * PanelWidth, 0);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    private static Plot Panel(string name, LevelMetrics level, string font)
    {
        var plot = new Plot();
        plot.Font.Set(font);
        var chance = plot.Add.Line(0, 0, 1, 1);
        chance.LinePattern = LinePattern.Dashed;
        chance.Color = Colors.Gray;
        chance.LineWidth = 1;
        for (var c = 0; c < level.Classes.Count; c++)
        {
            var m = level.Classes[c];
            var colour = Color.FromHex(ClassColours[c % ClassColours.Length]);
            var label = HemorrhageClasses.Abbreviations[c];
            if (m.Auc is null)
            {
                // Undefined: visible in the legend, no curve drawn.
                var placeholder = plot.Add.ScatterLine(new[] { double.NaN }, new[] { double.NaN }, colour);
                placeholder.LegendText = $"{label}  AUC undefined ({(m.NPositive == 0 ? "no positives" : "no negatives")})";
                continue;
            }
            var (x, y) = Corners(m.Roc);
            var line = plot.Add.ScatterLine(x, y, colour);
            line.LineWidth = 2;
            line.LegendText = FormattableString.Invariant($"{label}  AUC {m.Auc:0.000}");
            if (m.OperatingPoint is { Sensitivity: { } sens, Specificity: { } spec })
            {
                var dot = plot.Add.Marker(1 - spec, sens, MarkerShape.FilledCircle, 8, colour);
                dot.LegendText = "";
            }
        }
        plot.Axes.SetLimits(-0.01, 1.01, -0.01, 1.01);
        plot.Title($"{name}: {level.Level} level (n = {level.N})");
        plot.XLabel("1 - specificity (false-positive rate)");
        plot.YLabel("Sensitivity (true-positive rate)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>The ROC polyline from (0, 0), keeping only points where the curve changes direction.</summary>
    internal static (double[] X, double[] Y) Corners(RocCurve roc)
    {
        var x = new List<double> { 0 };
        var y = new List<double> { 0 };
        for (var k = 0; k < roc.Count; k++)
        {
            var last = k == roc.Count - 1;
            if (!last)
            {
                // Drop a point collinear with its neighbours (only one of TP/FP changes on both sides, the same one).
                int dtpIn = roc.TruePositives[k] - (k == 0 ? 0 : roc.TruePositives[k - 1]);
                int dfpIn = roc.FalsePositives[k] - (k == 0 ? 0 : roc.FalsePositives[k - 1]);
                int dtpOut = roc.TruePositives[k + 1] - roc.TruePositives[k];
                int dfpOut = roc.FalsePositives[k + 1] - roc.FalsePositives[k];
                if ((dtpIn == 0 && dtpOut == 0) || (dfpIn == 0 && dfpOut == 0)) continue;
            }
            x.Add(roc.Fpr(k));
            y.Add(roc.Tpr(k));
        }
        return (x.ToArray(), y.ToArray());
    }
}
