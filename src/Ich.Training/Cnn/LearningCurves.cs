using System.Globalization;
using Ich.Core.Text;
using Ich.Metrics.Reporting;

namespace Ich.Training.Cnn;

/// <summary>
/// The learning curves of a CNN run: <c>metrics.csv</c> (one row per fold and epoch with <c>train_loss</c> and
/// <c>val_weighted_logloss</c>) drawn as <c>learning_curves.png</c> in the run folder. The trainer redraws it at
/// every epoch end, so a running job can be watched.
/// </summary>
public static class LearningCurves
{
    public const string FileName = "learning_curves.png";

    /// <summary>The per-epoch losses recorded in a run's metrics.csv.</summary>
    public static IReadOnlyList<EpochLoss> Read(string metricsPath)
    {
        var table = CsvTable.Read(metricsPath);
        int fold = table.Require("fold"), epoch = table.Require("epoch"), train = table.Require("train_loss"), val = table.Require("val_weighted_logloss");
        return table.Rows.Select(r => new EpochLoss(Int(r[fold]), Int(r[epoch]), Num(r[train]), Num(r[val]))).ToList();
    }

    /// <summary>Redraws <see cref="FileName"/> from the run's metrics.csv; returns its path.</summary>
    public static string Write(string runFolder, string title)
    {
        var run = new RunFolder(runFolder);
        var path = Path.Combine(run.Root, FileName);
        // Fold workers (cnnWorkers) redraw it from several processes: each draws into its own file and renames it into
        // place, so none opens the shared file while another writes it (and a reader never sees half a PNG).
        var drawn = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            LearningCurveFigure.Save(Read(run.MetricsPath), title, drawn);
            File.Move(drawn, path, overwrite: true);
        }
        catch
        {
            // A failed drawing leaves no stray file beside the run's figure; the caller still sees the drawing's error,
            // not a later one from the clean-up (a missing folder makes File.Delete throw too).
            TryDelete(drawn);
            throw;
        }
        return path;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
    private static double Num(string s) => s.Length == 0 ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
