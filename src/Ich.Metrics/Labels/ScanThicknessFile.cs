using System.Globalization;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Labels;

/// <summary>
/// Each scan's slice thickness from a CSV: a <c>thickness_mm</c> column and the scan's ID in <c>scan_id</c> and/or
/// <c>series_uid</c> (both are keys when both are there: <c>ich synth</c>'s scans.csv names a phantom by its folder in
/// scan_id, and <c>ich predict</c> names it by its series UID).
/// </summary>
public static class ScanThicknessFile
{
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        var table = CsvTable.Read(path);
        var thickness = table.Require("thickness_mm");
        var ids = new[] { table.IndexOf("scan_id"), table.IndexOf("series_uid") }.Where(i => i >= 0).ToArray();
        if (ids.Length == 0)
            throw new DatasetFormatException($"needs a scan_id or series_uid column (header: {string.Join(",", table.Header)})", path, 1);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            if (!double.TryParse(row[thickness], NumberStyles.Float, CultureInfo.InvariantCulture, out var mm) || !(mm > 0) || !double.IsFinite(mm))
                throw new DatasetFormatException($"thickness_mm '{row[thickness]}' is not a positive number of mm", path, row.Line);
            foreach (var id in ids.Select(i => row[i].Trim()).Where(id => id.Length > 0))
                if (!result.TryAdd(id, mm) && result[id] != mm)
                    throw new DatasetFormatException($"scan '{id}' appears with two thicknesses", path, row.Line);
        }
        return result;
    }
}
