using System.Globalization;
using System.Text.RegularExpressions;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Labels;

/// <summary>
/// CQ500 <c>reads.csv</c>: per scan (<c>name</c> = <c>CQ500-CT-&lt;n&gt;</c>) the reads of three radiologists
/// (R1..R3) for ICH, IPH, IVH, SDH, EDH, SAH; the label is the majority (≥ 2 of 3), and a majority
/// subtype without a majority ICH is an error. Scan level only.
/// </summary>
internal static partial class Cq500ReadsFile
{
    private static readonly (string Read, int Class)[] Findings =
        [("ICH", 0), ("EDH", 1), ("IPH", 2), ("IVH", 3), ("SAH", 4), ("SDH", 5)];

    public static LabelSet Read(string path)
    {
        var table = CsvTable.Read(path);
        var columns = new List<string> { "name" };
        for (var r = 1; r <= 3; r++) columns.AddRange(Findings.Select(f => $"R{r}:{f.Read}"));
        LabelSet.RequireColumns(table, LabelFormat.Cq500, columns);
        var nameColumn = table.IndexOf("name");
        var items = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var name = row[nameColumn].Trim();
            var key = ScanKey(name) ?? throw new DatasetFormatException($"name '{name}' is not CQ500-CT-<number>", path, row.Line);
            var labels = new bool[HemorrhageClasses.Count];
            foreach (var (read, c) in Findings)
            {
                var votes = 0;
                for (var r = 1; r <= 3; r++)
                    if (LabelSet.ParseBinary(row[table.IndexOf($"R{r}:{read}")], $"R{r}:{read}", path, row.Line)) votes++;
                labels[c] = votes >= 2;
            }
            if (!labels[0] && labels.Skip(1).Any(x => x))
                throw new DatasetFormatException(
                    $"{name}: the readers' majority marks a subtype but not ICH; the labels contradict each other", path, row.Line);
            if (items.TryGetValue(key, out var earlier))
            {
                if (!earlier.SequenceEqual(labels))
                    throw new DatasetFormatException($"contradictory duplicate of {name} (line {lines[key]})", path, row.Line);
                duplicates++;
                continue;
            }
            items[key] = labels;
            lines[key] = row.Line;
        }
        if (items.Count == 0) throw new DatasetFormatException("no label rows", path, 2);
        return new LabelSet(path, LabelFormat.Cq500, items, duplicates);
    }

    /// <summary>
    /// The canonical key "CQ500-CT-&lt;n&gt;" of a reads.csv name or a predictions scan_id. Accepted forms:
    /// <c>CQ500-CT-12</c>, <c>CQ500CT12</c>, the archive's folder name <c>CQ500CT12 CQ500CT12</c>, each
    /// optionally followed by <c>/</c> and a series name (all series of one patient are pooled). Null otherwise.
    /// </summary>
    public static string? ScanKey(string id)
    {
        var m = ScanIdPattern().Match(id.Trim());
        return m.Success ? "CQ500-CT-" + int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^CQ500-?CT-?(\d+)(?: CQ500-?CT-?\1)?(?:/.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ScanIdPattern();
}
