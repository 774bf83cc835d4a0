using System.Globalization;
using System.Text;
using Ich.Application.Prediction;
using Ich.Core;

namespace Ich.Application.Writers;

/// <summary>
/// <c>stages.csv</c> (<c>ich predict --stages</c>): every intermediate output of every scan, one row per slice and
/// output — each CNN backbone (its folds' mean), each sequence system's SeqModel1 and SeqModel2 — labelled as in
/// <c>StageOutput.Label</c> (<c>cnn:NAME</c>, <c>seq1:NAME</c>, <c>seq2:NAME</c>). The final answer stays in
/// predictions.csv; this file is for studying what each stage contributes on new data (the model card's
/// stage table is out-of-fold only). Long format, so a model with any number of backbones and systems has
/// one fixed header. Appended and flushed per scan, like the other CSV outputs.
/// </summary>
public sealed class StageOutputsWriter(string folder) : IPredictionOutputWriter, IDisposable
{
    public const string FileName = "stages.csv";
    public static readonly string Header = "scan_id,slice_id,slice_index,output," + string.Join(',', HemorrhageClasses.Names);

    private StreamWriter? writer;

    public void Begin(PredictionRunInfo run)
    {
        Directory.CreateDirectory(folder);
        writer = CsvOutputWriter.OpenCsv(folder, FileName, Header);
    }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (writer is null) throw new InvalidOperationException("Begin was not called");
        if (scan.Prediction is not { } p) return; // a failed scan has its row (and reason) in scans.csv
        var slices = p.Scan.Slices;
        foreach (var stage in p.Stages)
            for (var i = 0; i < slices.Count; i++)
            {
                var row = new StringBuilder();
                row.Append(CsvOutputWriter.Csv(p.Scan.ScanId)).Append(',').Append(CsvOutputWriter.Csv(slices[i].SliceId)).Append(',')
                   .Append(slices[i].Index.ToString(CultureInfo.InvariantCulture)).Append(',').Append(CsvOutputWriter.Csv(stage.Label));
                for (var c = 0; c < HemorrhageClasses.Count; c++)
                    row.Append(',').Append(CsvOutputWriter.Prob(stage.Probabilities[i * HemorrhageClasses.Count + c]));
                writer.Write(row.Append('\n'));
            }
        writer.Flush();
    }

    public void Complete(PredictionSummary summary) => Dispose();

    public void Dispose()
    {
        writer?.Dispose();
        writer = null;
    }
}
