using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Evaluation;

/// <summary>One row of predictions.csv: a slice and its six probabilities (<see cref="HemorrhageClasses"/> order).</summary>
/// <param name="Line">1-based line in the file, for messages.</param>
public sealed record PredictionRow(string ScanId, string SliceId, int SliceIndex, double ZMm, double[] Probabilities, int Line);

/// <summary>
/// Reader of the predictions.csv contract shared by <c>ich predict</c> and <c>ich evaluate</c>:
/// <c>scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural</c>.
/// Every bad row is a <see cref="DatasetFormatException"/> with the file and line.
/// </summary>
public static class PredictionFile
{
    public static readonly IReadOnlyList<string> Columns =
        ["scan_id", "slice_id", "slice_index", "z_mm", .. HemorrhageClasses.Names];

    public static IReadOnlyList<PredictionRow> Read(string path)
    {
        var table = CsvTable.Read(path);
        var missing = Columns.Where(c => table.IndexOf(c) < 0).ToArray();
        if (missing.Length > 0)
            throw new DatasetFormatException(
                $"not a predictions file: missing column(s) {string.Join(", ", missing)} (header: {string.Join(",", table.Header)}; expected {string.Join(",", Columns)})",
                path, 1);
        var scan = table.IndexOf("scan_id");
        var slice = table.IndexOf("slice_id");
        var index = table.IndexOf("slice_index");
        var z = table.IndexOf("z_mm");
        var classColumns = HemorrhageClasses.Names.Select(table.IndexOf).ToArray();

        var rows = new List<PredictionRow>(table.Rows.Count);
        var seen = new Dictionary<(string, string), int>();
        foreach (var row in table.Rows)
        {
            var (scanId, sliceId) = Ids(row, scan, slice, path);
            if (!seen.TryAdd((scanId, sliceId), row.Line))
                throw new DatasetFormatException(
                    $"duplicate prediction for scan '{scanId}' slice '{sliceId}' (first on line {seen[(scanId, sliceId)]})", path, row.Line);
            var (sliceIndex, probabilities) = IndexAndProbabilities(row, index, classColumns, path);
            rows.Add(new PredictionRow(scanId, sliceId, sliceIndex, ParseZ(row[z], path, row.Line), probabilities, row.Line));
        }
        if (rows.Count == 0) throw new DatasetFormatException("no prediction rows", path, 2);
        return rows;
    }

    /// <summary>A row's scan and slice IDs, trimmed; an empty one is a format error naming the file and line.</summary>
    internal static (string ScanId, string SliceId) Ids(CsvRow row, int scan, int slice, string path)
    {
        var (scanId, sliceId) = (row[scan].Trim(), row[slice].Trim());
        if (scanId.Length == 0) throw new DatasetFormatException("empty scan_id", path, row.Line);
        if (sliceId.Length == 0) throw new DatasetFormatException("empty slice_id", path, row.Line);
        return (scanId, sliceId);
    }

    /// <summary>A row's slice_index and six probabilities (<see cref="HemorrhageClasses"/> order), each checked.</summary>
    internal static (int SliceIndex, double[] Probabilities) IndexAndProbabilities(CsvRow row, int index, int[] classColumns, string path)
    {
        if (!int.TryParse(row[index].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var sliceIndex) || sliceIndex < 0)
            throw new DatasetFormatException($"slice_index '{row[index]}' is not a non-negative integer", path, row.Line);
        var probabilities = new double[HemorrhageClasses.Count];
        for (var c = 0; c < HemorrhageClasses.Count; c++)
            probabilities[c] = Probability(row[classColumns[c]], HemorrhageClasses.Names[c], path, row.Line);
        return (sliceIndex, probabilities);
    }

    private static double Probability(string text, string column, string path, int line)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            throw new DatasetFormatException($"{column}: '{text}' is not a number", path, line);
        if (double.IsNaN(p)) throw new DatasetFormatException($"{column}: probability is NaN", path, line);
        if (p is < 0 or > 1) throw new DatasetFormatException($"{column}: probability {text} is outside [0, 1]", path, line);
        return p;
    }

    private static double ParseZ(string text, string path, int line)
    {
        text = text.Trim();
        if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN; // position unknown
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var z) && !double.IsInfinity(z) ? z
            : throw new DatasetFormatException($"z_mm: '{text}' is not a number", path, line);
    }
}
