using System.Globalization;
using System.Text;
using Ich.Application.Prediction;
using Ich.Core;

namespace Ich.Application.Writers;

/// <summary>
/// The CSV outputs of <c>ich predict</c> (column names are a contract, see docs/predict.md):
/// <c>predictions.csv</c> (per slice), <c>submission.csv</c> (RSNA <c>ID,Label</c>, DICOM inputs only) and
/// <c>scans.csv</c> (per scan: class maxima, triage flag, status, error). Rows are appended and flushed as
/// each scan finishes, so a long run's rows are on disk as it goes and nothing accumulates in memory.
/// </summary>
public sealed class CsvOutputWriter(string folder) : IPredictionOutputWriter, IDisposable
{
    public const string Predictions = "predictions.csv";
    public const string Submission = "submission.csv";
    public const string Scans = "scans.csv";

    /// <summary>Columns appended to both files (after the original ones, whose names and order are kept) so a PACS-side script can join on them.</summary>
    public const string IdentityColumns = "study_instance_uid,series_instance_uid,accession_number,model_name,model_version";

    public static readonly string PredictionsHeader = "scan_id,slice_id,slice_index,z_mm," + string.Join(',', HemorrhageClasses.Names) + "," + IdentityColumns;
    public static readonly string ScansHeader = "scan_id,source,status,slices," + string.Join(',', HemorrhageClasses.Names.Select(n => "max_" + n)) +
                                                ",triage,flagged_classes,ms_per_slice,notes,error," + IdentityColumns;
    private const string SubmissionHeader = "ID,Label";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private StreamWriter? predictions;
    private StreamWriter? scans;
    private StreamWriter? submission;
    private string modelColumns = ",";

    public void Begin(PredictionRunInfo run)
    {
        Directory.CreateDirectory(folder);
        // A submission.csv of an earlier run in the same folder would otherwise survive a run without DICOM input.
        File.Delete(Path.Combine(folder, Submission));
        ArgumentNullException.ThrowIfNull(run);
        modelColumns = Csv(run.Model.Name) + "," + Csv(run.Model.Version);
        predictions = Open(Predictions, PredictionsHeader);
        scans = Open(Scans, ScansHeader);
    }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (predictions is null || scans is null) throw new InvalidOperationException("Begin was not called");
        WriteScanRow(scan);
        var identity = IdentityCells(scan);
        if (scan.Prediction is { } p)
        {
            var slices = p.Scan.Slices;
            for (var i = 0; i < slices.Count; i++)
            {
                var row = new StringBuilder();
                row.Append(Csv(p.Scan.ScanId)).Append(',').Append(Csv(slices[i].SliceId)).Append(',')
                   .Append(slices[i].Index.ToString(Inv)).Append(',')
                   .Append(double.IsFinite(slices[i].ZMm) ? slices[i].ZMm.ToString("0.###", Inv) : "");
                for (var c = 0; c < HemorrhageClasses.Count; c++) row.Append(',').Append(Prob(p.Probabilities[i * HemorrhageClasses.Count + c]));
                predictions.Write(row.Append(',').Append(identity).Append('\n'));
            }
            if (scan.Input.SliceIdsAreSopInstanceUids)
            {
                submission ??= Open(Submission, SubmissionHeader);
                for (var i = 0; i < slices.Count; i++)
                    for (var c = 0; c < HemorrhageClasses.Count; c++)
                        submission.Write($"{Csv($"{slices[i].SliceId}_{HemorrhageClasses.Names[c]}")},{Prob(p.Probabilities[i * HemorrhageClasses.Count + c])}\n");
                submission.Flush();
            }
        }
        predictions.Flush();
        scans.Flush();
    }

    public void Complete(PredictionSummary summary) => Dispose();

    public void Dispose()
    {
        predictions?.Dispose();
        scans?.Dispose();
        submission?.Dispose();
        (predictions, scans, submission) = (null, null, null);
    }

    private StreamWriter Open(string name, string header) => OpenCsv(folder, name, header);

    /// <summary>A new CSV file (replacing one of an earlier run) in UTF-8 without BOM, LF line ends, its header written.</summary>
    internal static StreamWriter OpenCsv(string folder, string name, string header)
    {
        var writer = new StreamWriter(Path.Combine(folder, name), append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.Write(header + "\n");
        return writer;
    }

    private void WriteScanRow(ScanResult o)
    {
        var sb = new StringBuilder();
        sb.Append(Csv(o.ScanId)).Append(',').Append(Csv(o.Input.Source)).Append(',');
        if (o.Prediction is { } p)
        {
            sb.Append("ok,").Append(p.Scan.Slices.Count.ToString(Inv));
            foreach (var m in p.ScanMax) sb.Append(',').Append(Prob(m));
            var flagged = Enumerable.Range(0, HemorrhageClasses.Count).Where(c => p.Flags[c]).Select(c => HemorrhageClasses.Names[c]);
            sb.Append(',').Append(p.Triage ? "1" : "0").Append(',').Append(Csv(string.Join(';', flagged))).Append(',')
              .Append(p.Timings.MsPerSlice(p.Scan.Slices.Count).ToString("0.0", Inv)).Append(',')
              .Append(Csv(string.Join("; ", p.Notes))).Append(',');
        }
        else
        {
            sb.Append("failed,").Append(o.Input.Scan?.Slices.Count.ToString(Inv) ?? "");
            sb.Append(',', HemorrhageClasses.Count).Append(",,,,,").Append(Csv(o.Error ?? ""));
        }
        scans!.Write(sb.Append(',').Append(IdentityCells(o)).Append('\n'));
    }

    /// <summary>study, series, accession (empty for non-DICOM inputs or when absent), model name, model version.</summary>
    private string IdentityCells(ScanResult scan) =>
        $"{Csv(scan.Dicom?.StudyInstanceUid ?? "")},{Csv(scan.Dicom?.SeriesInstanceUid ?? "")},{Csv(scan.Dicom?.AccessionNumber ?? "")},{modelColumns}";

    internal static string Prob(float p) => p.ToString("0.######", Inv);

    internal static string Csv(string v) => v.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
}
