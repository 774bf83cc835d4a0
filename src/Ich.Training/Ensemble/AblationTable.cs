using System.Globalization;
using System.Text;
using System.Text.Json;
using Ich.Core;

namespace Ich.Training.Ensemble;

/// <summary>
/// The analogue of the paper's Table 3 on out-of-fold predictions: weighted log-loss and per-class
/// AUC for CNN alone, + SeqModel1, + SeqModel2, and the ensemble, per slice (the paper's level) and per scan (the
/// level a reader's flag acts on). Written as <c>ablation.md</c> and <c>ablation.json</c>.
/// </summary>
public static class AblationTable
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    public static void Write(string folder, IReadOnlyList<StageScores> rows, string note)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ablation.md"), Markdown(rows, note));
        var json = new
        {
            note,
            classes = HemorrhageClasses.Names,
            rows = rows.Select(r => new
            {
                stage = r.Stage,
                slices = r.Slices,
                weightedLogLoss = r.WeightedLogLoss,
                logLoss = r.LogLoss,
                auc = Nullable(r.Auc),
                scans = r.Scans,
                scanAuc = Nullable(r.ScanAuc),
            }),
        };
        File.WriteAllText(Path.Combine(folder, "ablation.json"), JsonSerializer.Serialize(json, IndentedJson));
    }

    private static double?[] Nullable(double[] auc) => auc.Select(a => double.IsNaN(a) ? (double?)null : a).ToArray();

    public static string Markdown(IReadOnlyList<StageScores> rows, string note)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Ablation: out-of-fold scores per stage (analogue of Wang et al. 2021, Table 3)").AppendLine();
        sb.AppendLine(note).AppendLine();
        AppendSliceTable(sb, rows);
        sb.AppendLine();
        sb.AppendLine("Scan level: a scan scores its highest slice probability and is positive for a class when any of its slices is " +
                      "(the level the reader operating points are chosen on).").AppendLine();
        AppendScanTable(sb, rows);
        return sb.ToString();
    }

    /// <summary>The slice-level table: stage, slices, weighted log-loss, AUC per class.</summary>
    public static void AppendSliceTable(StringBuilder sb, IReadOnlyList<StageScores> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("| stage | slices | weighted log-loss |");
        foreach (var a in HemorrhageClasses.Abbreviations) sb.Append(" AUC ").Append(a).Append(" |");
        sb.AppendLine();
        sb.Append("|---|---:|---:|").Append(string.Concat(Enumerable.Repeat("---:|", HemorrhageClasses.Count))).AppendLine();
        foreach (var r in rows)
        {
            sb.Append("| ").Append(r.Stage).Append(" | ").Append(r.Slices.ToString(inv)).Append(" | ")
              .Append(r.WeightedLogLoss.ToString("F4", inv)).Append(" |");
            AppendAucs(sb, r.Auc);
        }
    }

    /// <summary>The scan-level table: stage, scans, scan AUC per class.</summary>
    public static void AppendScanTable(StringBuilder sb, IReadOnlyList<StageScores> rows)
    {
        sb.Append("| stage | scans |");
        foreach (var a in HemorrhageClasses.Abbreviations) sb.Append(" scan AUC ").Append(a).Append(" |");
        sb.AppendLine();
        sb.Append("|---|---:|").Append(string.Concat(Enumerable.Repeat("---:|", HemorrhageClasses.Count))).AppendLine();
        foreach (var r in rows)
        {
            sb.Append("| ").Append(r.Stage).Append(" | ").Append(r.Scans.ToString(CultureInfo.InvariantCulture)).Append(" |");
            AppendAucs(sb, r.ScanAuc);
        }
    }

    private static void AppendAucs(StringBuilder sb, double[] auc)
    {
        foreach (var a in auc) sb.Append(' ').Append(double.IsNaN(a) ? "n/a" : a.ToString("F4", CultureInfo.InvariantCulture)).Append(" |");
        sb.AppendLine();
    }
}
