using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Core.Labels;

/// <summary>The wide RSNA layout (an image-ID column and six class columns); rules in <see cref="RsnaLabelFile"/>.</summary>
internal static class RsnaWideLayout
{
    private static readonly string[] IdColumns = ["rsna_image_id", "ID", "SOPInstanceUID", "image_id", "file", "filename"];

    public static LabelTable<RsnaImageLabel> Parse(CsvTable table, Func<string, string> imageKey)
    {
        var idName = IdColumns.FirstOrDefault(c => table.IndexOf(c) >= 0)
                     ?? throw new DatasetFormatException(
                         $"not a {RsnaLabelFile.FormatName} label file: no image-ID column (one of {string.Join(", ", IdColumns)}) and not the long layout ID,Label; header: {string.Join(",", table.Header)}",
                         table.Path, 1);
        LabelRules.RequireColumns(table, RsnaLabelFile.FormatName, HemorrhageClasses.Names);
        var idCol = table.IndexOf(idName);
        var classCols = HemorrhageClasses.Names.Select(table.IndexOf).ToArray();
        var result = new Dictionary<string, RsnaImageLabel>(StringComparer.Ordinal);
        int partial = 0, duplicates = 0;
        foreach (var row in table.Rows)
        {
            var id = ImageId(row[idCol], idName);
            if (id.Length == 0) throw new DatasetFormatException($"empty {idName}", table.Path, row.Line);
            var key = imageKey(id);
            var cells = classCols.Select(c => row[c].Trim()).ToArray();
            var known = cells.All(c => c.Length > 0);
            if (!known && cells.Any(c => c.Length > 0)) partial++;
            var labels = new float?[HemorrhageClasses.Count];
            for (var k = 0; k < cells.Length; k++)
                labels[k] = cells[k].Length == 0 ? null
                    : cells[k] switch
                    {
                        "0" => 0f,
                        "1" => 1f,
                        var other => throw new DatasetFormatException($"{HemorrhageClasses.Names[k]} '{other}' of {id} is not 0, 1 or blank", table.Path, row.Line),
                    };
            var full = known ? labels.Select(v => v!.Value).ToArray() : null;
            if (full is not null) LabelRules.RequireAnyForSubtypes($"image {key}", full, table.Path, row.Line);
            if (!LabelRules.AddUnlessRepeat(result, key, new RsnaImageLabel(key, full, row.Line), (a, b) => SameLabels(a.Labels, b.Labels),
                    l => l.Line, $"image {key}", table.Path, row.Line))
                duplicates++;
        }
        return new LabelTable<RsnaImageLabel>(table.Path, result, duplicates, partial);
    }

    private static string ImageId(string cell, string idName)
    {
        var id = cell.Trim();
        if (idName is not ("file" or "filename")) return id;
        id = Path.GetFileName(id);
        return id.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase) ? id[..^4] : id;
    }

    private static bool SameLabels(float[]? a, float[]? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);
}
