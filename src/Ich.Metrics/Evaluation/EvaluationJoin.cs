using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Metrics.Labels;

namespace Ich.Metrics.Evaluation;

/// <summary>A prediction with its ground truth: one slice, or one scan after aggregation.</summary>
/// <param name="ScanId">The bootstrap cluster: the prediction's scan_id (for CQ500 its canonical patient key).</param>
/// <param name="ItemId">Slice ID, or the scan ID again at scan level.</param>
public sealed record EvaluationRow(string ScanId, string ItemId, double[] Probabilities, bool[] Labels);

/// <summary>How predictions and labels matched; unit is "slice" or "scan" (CQ500).</summary>
public sealed record JoinReport(
    string Unit,
    int Matched,
    int PredictionsWithoutLabel,
    int LabelsWithoutPrediction,
    int DuplicateLabelRows,
    IReadOnlyList<string> ExamplePredictionsWithoutLabel,
    IReadOnlyList<string> ExampleLabelsWithoutPrediction);

/// <summary>The matched data, at the label's own level (slices, or scans for CQ500).</summary>
public sealed record JoinedData(string Unit, IReadOnlyList<EvaluationRow> Rows, JoinReport Report);

/// <summary>
/// Joins predictions.csv rows to a <see cref="LabelSet"/>. Keys: RSNA/phantom slice_id = SOP; PhysioNet
/// (scan_id as a number, slice_id as a number); CQ500 the canonical scan key of scan_id, with the
/// prediction first reduced to the scan (max over its slices). Unmatched IDs on either side are counted
/// and sampled in the report; an empty join is an error.
/// </summary>
public static class EvaluationJoin
{
    private const int Examples = 5;

    public static JoinedData Join(IReadOnlyList<PredictionRow> predictions, LabelSet labels, string predictionsPath)
    {
        var unit = labels.Format.HasSliceLabels() ? "slice" : "scan";
        var keyed = labels.Format.HasSliceLabels()
            ? predictions.Select(p => (Key: SliceKey(p, labels.Format), Row: new EvaluationRow(p.ScanId, p.SliceId, p.Probabilities, []))).ToList()
            : ScanAggregation.MaxOverSlices(predictions.Select(p => new EvaluationRow(
                    Cq500ReadsFile.ScanKey(p.ScanId) ?? p.ScanId, p.SliceId, p.Probabilities, new bool[HemorrhageClasses.Count])).ToList())
                .Select(r => (Key: Cq500ReadsFile.ScanKey(r.ScanId), Row: r)).ToList();

        var rows = new List<EvaluationRow>();
        var matchedKeys = new HashSet<string>(StringComparer.Ordinal);
        var withoutLabel = new List<string>();
        foreach (var (key, row) in keyed)
        {
            if (key is not null && labels.Items.TryGetValue(key, out var y))
            {
                rows.Add(row with { Labels = y });
                matchedKeys.Add(key);
            }
            else withoutLabel.Add(unit == "slice" ? $"{row.ScanId}/{row.ItemId}" : row.ScanId);
        }
        var withoutPrediction = labels.Items.Keys.Where(k => !matchedKeys.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var report = new JoinReport(unit, rows.Count, withoutLabel.Count, withoutPrediction.Count, labels.DuplicateRows,
            withoutLabel.Take(Examples).ToArray(), withoutPrediction.Take(Examples).ToArray());
        if (rows.Count == 0)
            throw new DatasetFormatException(
                $"no prediction matched a label in {labels.Path} ({labels.Format.Name()}): {predictions.Count} prediction rows, " +
                $"{labels.Items.Count} labelled {unit}s; e.g. prediction '{withoutLabel.FirstOrDefault()}' vs label '{labels.Items.Keys.FirstOrDefault()}' " +
                "(see docs/evaluation.md for how IDs must be written)", predictionsPath);
        return new JoinedData(unit, rows, report);
    }

    private static string? SliceKey(PredictionRow p, LabelFormat format)
    {
        if (format != LabelFormat.Physionet) return p.SliceId;
        return int.TryParse(p.ScanId, NumberStyles.None, CultureInfo.InvariantCulture, out var patient)
               && int.TryParse(p.SliceId, NumberStyles.None, CultureInfo.InvariantCulture, out var slice)
            ? PhysioNetLabelFile.SliceKey(patient, slice)
            : null;
    }
}
