using Ich.Metrics.Reporting;
using Ich.TestKit;
using SkiaSharp;

namespace Ich.Metrics.Tests;

/// <summary>learning_curves.png: its size, one colour per fold actually drawn, and text in the axis-label strip.</summary>
public class LearningCurveFigureTests
{
    [Fact]
    public void Save_TwoFolds_DrawsBothFoldColoursAndLabels()
    {
        var dir = RepoPaths.NewTempDir("ich-curves");
        try
        {
            var epochs = new List<EpochLoss>();
            for (var e = 1; e <= 6; e++)
            {
                epochs.Add(new EpochLoss(0, e, 0.7 / e, 0.5 + 0.02 * e));
                epochs.Add(new EpochLoss(1, e, 0.6 / e, e == 3 ? double.NaN : 0.45 + 0.03 * e));
            }
            var path = Path.Combine(dir, "curves.png");
            LearningCurveFigure.Save(epochs, "test run", path);
            using var bitmap = SKBitmap.Decode(path);
            Assert.Equal((LearningCurveFigure.Width, LearningCurveFigure.Height), (bitmap.Width, bitmap.Height));
            // Fold 0 is Okabe–Ito blue (#0072B2), fold 1 orange (#E69F00): both must appear as line pixels.
            int blue = 0, orange = 0, dark = 0;
            for (var y = 0; y < bitmap.Height; y++)
                for (var x = 0; x < bitmap.Width; x++)
                {
                    var c = bitmap.GetPixel(x, y);
                    if (c.Red < 40 && c.Green is > 90 and < 140 && c.Blue > 150) blue++;
                    if (c.Red > 200 && c.Green is > 130 and < 180 && c.Blue < 40) orange++;
                    if (y > bitmap.Height - 30 && c.Red < 100 && c.Green < 100 && c.Blue < 100) dark++;
                }
            Assert.True(blue > 200, $"fold 0 line: {blue} pixels");
            Assert.True(orange > 200, $"fold 1 line: {orange} pixels");
            Assert.True(dark > 100, $"x-axis label: {dark} dark pixels");
        }
        finally { Directory.Delete(dir, true); }
    }
}
