using System.Globalization;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Labels;

/// <summary>
/// Each scan's drawn style parameters from a long CSV (<c>parameter</c>, <c>value</c>, and the scan's ID in <c>scan_id</c>
/// and/or <c>series_uid</c>): <c>ich synth</c>'s style_values.csv. Both IDs are keys when both are there, as in
/// <see cref="ScanThicknessFile"/>.
/// </summary>
public static class ScanStyleValuesFile
{
    public const int MaxNameLength = 64;

    private static string Shorten(string text) => text.Length <= MaxNameLength ? text : text[..MaxNameLength] + "…";

    /// <summary>Scan ID → parameter → value.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Read(string path)
    {
        var table = CsvTable.Read(path);
        var parameter = table.Require("parameter");
        var value = table.Require("value");
        var ids = new[] { table.IndexOf("scan_id"), table.IndexOf("series_uid") }.Where(i => i >= 0).ToArray();
        if (ids.Length == 0)
            throw new DatasetFormatException($"needs a scan_id or series_uid column (header: {string.Join(",", table.Header)})", path, 1);
        var result = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var name = row[parameter].Trim();
            // The name becomes a table cell and a JSON string: letters, digits and . _ - only, so a stray file cannot reshape the report.
            if (name.Length is 0 or > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
                throw new DatasetFormatException($"parameter name '{Shorten(name)}' must be 1–{MaxNameLength} letters, digits, '.', '_' or '-'", path, row.Line);
            if (!double.TryParse(row[value], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new DatasetFormatException($"value '{row[value]}' of {name} is not a finite number", path, row.Line);
            foreach (var id in ids.Select(i => row[i].Trim()).Where(id => id.Length > 0))
            {
                var values = result.TryGetValue(id, out var existing) ? existing : result[id] = new Dictionary<string, double>(StringComparer.Ordinal);
                if (!values.TryAdd(name, v) && values[name] != v)
                    throw new DatasetFormatException($"scan '{id}' has two values of {name}", path, row.Line);
            }
        }
        return result.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, double>)kv.Value, StringComparer.Ordinal);
    }
}
