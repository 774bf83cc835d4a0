using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Ich.Metrics.Reporting;

/// <summary>One epoch of one fold: mean training loss and validation loss (NaN when not measured).</summary>
public sealed record EpochLoss(int Fold, int Epoch, double TrainLoss, double ValLoss);

/// <summary>
/// learning_curves.png: training loss (solid) and validation loss (dashed) per epoch, one colour per fold, on
/// one panel. Both are the class-weighted binary cross-entropy, so the gap between a fold's two lines is the
/// over-fitting a reader should see (training loss is measured on augmented batches in train mode, validation
/// on the un-augmented centre crop in eval mode).
/// </summary>
public static class LearningCurveFigure
{
    public const int Width = 800;
    public const int Height = 560;

    private static readonly string[] FoldColours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000"];

    /// <summary>Writes the figure; a NaN training loss leaves a gap, epochs without a validation loss are skipped by its line.</summary>
    public static void Save(IReadOnlyList<EpochLoss> epochs, string title, string path)
    {
        var font = PlotFont.Ensure();
        var plot = new Plot();
        plot.Font.Set(font);
        foreach (var fold in epochs.GroupBy(e => e.Fold).OrderBy(g => g.Key))
        {
            var colour = Color.FromHex(FoldColours[fold.Key % FoldColours.Length]);
            var rows = fold.OrderBy(e => e.Epoch).ToList();
            var x = rows.Select(r => (double)r.Epoch).ToArray();
            var train = plot.Add.ScatterLine(x, rows.Select(r => r.TrainLoss).ToArray(), colour);
            train.LineWidth = 2;
            train.MarkerSize = 5;
            train.LegendText = string.Create(CultureInfo.InvariantCulture, $"fold {fold.Key} train");
            // Runs that validate every few epochs: the dashed line joins the epochs that were validated.
            var validated = rows.Where(r => !double.IsNaN(r.ValLoss)).ToList();
            if (validated.Count == 0) continue;
            var val = plot.Add.ScatterLine(validated.Select(r => (double)r.Epoch).ToArray(), validated.Select(r => r.ValLoss).ToArray(), colour);
            val.LineWidth = 2;
            val.MarkerSize = 5;
            val.LinePattern = LinePattern.Dashed;
            val.LegendText = string.Create(CultureInfo.InvariantCulture, $"fold {fold.Key} validation");
        }
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.YLabel("Weighted binary cross-entropy");
        plot.ShowLegend(Alignment.UpperRight);
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        surface.Canvas.Clear(SKColors.White);
        plot.Render(surface.Canvas, Width, Height);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
