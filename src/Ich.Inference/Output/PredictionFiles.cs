using System.Globalization;
using System.Text;
using Ich.Core;
using Ich.Inference.Pipeline;

namespace Ich.Inference.Output;

/// <summary>
/// The CSV outputs of <c>ich predict</c> (column names are a contract, see docs/predict.md):
/// <c>predictions.csv</c> (per slice), <c>submission.csv</c> (RSNA <c>ID,Label</c>, DICOM inputs only) and
/// <c>scans.csv</c> (per scan: class maxima, triage flag, status, error).
/// </summary>
public static class PredictionFiles
{
    public const string Predictions = "predictions.csv";
    public const string Submission = "submission.csv";
    public const string Scans = "scans.csv";

    public static readonly string PredictionsHeader = "scan_id,slice_id,slice_index,z_mm," + string.Join(',', HemorrhageClasses.Names);
    public static readonly string ScansHeader = "scan_id,source,status,slices," + string.Join(',', HemorrhageClasses.Names.Select(n => "max_" + n)) +
                                                ",triage,flagged_classes,ms_per_slice,notes,error";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the CSVs into <paramref name="folder"/>; submission.csv only when some succeeded scan is DICOM.</summary>
    public static void Write(string folder, IReadOnlyList<ScanOutcome> outcomes)
    {
        Directory.CreateDirectory(folder);
        var predictions = new StringBuilder(PredictionsHeader).Append('\n');
        var submission = new StringBuilder("ID,Label\n");
        var anyDicom = false;
        foreach (var o in outcomes.Where(o => o.Succeeded))
        {
            var p = o.Prediction!;
            var slices = p.Scan.Slices;
            for (var i = 0; i < slices.Count; i++)
            {
                predictions.Append(Csv(p.Scan.ScanId)).Append(',').Append(Csv(slices[i].SliceId)).Append(',')
                    .Append(slices[i].Index.ToString(Inv)).Append(',')
                    .Append(double.IsFinite(slices[i].ZMm) ? slices[i].ZMm.ToString("0.###", Inv) : "");
                for (var c = 0; c < 6; c++) predictions.Append(',').Append(Prob(p.Probabilities[i * 6 + c]));
                predictions.Append('\n');
                if (!o.Input.SliceIdsAreSopInstanceUids) continue;
                anyDicom = true;
                for (var c = 0; c < 6; c++)
                    submission.Append(Csv($"{slices[i].SliceId}_{HemorrhageClasses.Names[c]}")).Append(',').Append(Prob(p.Probabilities[i * 6 + c])).Append('\n');
            }
        }
        File.WriteAllText(Path.Combine(folder, Predictions), predictions.ToString());
        if (anyDicom) File.WriteAllText(Path.Combine(folder, Submission), submission.ToString());
        File.WriteAllText(Path.Combine(folder, Scans), ScansCsv(outcomes));
    }

    private static string ScansCsv(IReadOnlyList<ScanOutcome> outcomes)
    {
        var sb = new StringBuilder(ScansHeader).Append('\n');
        foreach (var o in outcomes)
        {
            sb.Append(Csv(o.ScanId)).Append(',').Append(Csv(o.Input.Source)).Append(',');
            if (o.Prediction is { } p)
            {
                sb.Append("ok,").Append(p.Scan.Slices.Count.ToString(Inv));
                foreach (var m in p.ScanMax) sb.Append(',').Append(Prob(m));
                var flagged = Enumerable.Range(0, 6).Where(c => p.Flags[c]).Select(c => HemorrhageClasses.Names[c]);
                sb.Append(',').Append(p.Triage ? "1" : "0").Append(',').Append(Csv(string.Join(';', flagged))).Append(',')
                  .Append((p.TimingsMs["total"] / p.Scan.Slices.Count).ToString("0.0", Inv)).Append(',')
                  .Append(Csv(string.Join("; ", p.Notes))).Append(',');
            }
            else
            {
                sb.Append("failed,").Append(o.Input.Scan?.Slices.Count.ToString(Inv) ?? "");
                sb.Append(',', 6).Append(",,,,,").Append(Csv(o.Error ?? ""));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string Prob(float p) => p.ToString("0.######", Inv);

    private static string Csv(string v) => v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v;
}
