using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Core.Labels;

/// <summary>The long RSNA layout (<c>ID,Label</c>, one row per image and subtype); rules in <see cref="RsnaLabelFile"/>.</summary>
internal static class RsnaLongLayout
{
    private sealed class Image(int firstLine)
    {
        public float[] Labels { get; } = new float[HemorrhageClasses.Count];
        public int[] Lines { get; } = new int[HemorrhageClasses.Count];
        public int FirstLine { get; } = firstLine;
    }

    public static LabelTable<RsnaImageLabel> Parse(CsvTable table, Func<string, string> imageKey)
    {
        LabelRules.RequireColumns(table, RsnaLabelFile.FormatName, ["ID", "Label"]);
        int idCol = table.IndexOf("ID"), labelCol = table.IndexOf("Label");
        var images = new Dictionary<string, Image>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var id = row[idCol].Trim();
            var cut = id.LastIndexOf('_');
            if (cut <= 0 || cut == id.Length - 1)
                throw new DatasetFormatException($"ID '{id}' is not <SOP>_<subtype>", table.Path, row.Line);
            var subtype = id[(cut + 1)..];
            var k = HemorrhageClasses.IndexOf(subtype);
            if (k < 0)
                throw new DatasetFormatException(
                    $"ID '{id}': unknown subtype '{subtype}' (expected <SOP>_<subtype> with subtype one of {string.Join(", ", HemorrhageClasses.Names)})",
                    table.Path, row.Line);
            var value = LabelRules.Bit(row[labelCol], "Label", $"'{id}'", table.Path, row.Line);
            var key = imageKey(id[..cut]);
            if (!images.TryGetValue(key, out var image)) images[key] = image = new Image(row.Line);
            if (image.Lines[k] > 0)
            {
                if (image.Labels[k] != value)
                    throw new DatasetFormatException(
                        $"contradictory duplicate: '{id}' is {image.Labels[k]} on line {image.Lines[k]} and {value} here", table.Path, row.Line);
                duplicates++;
                continue;
            }
            image.Labels[k] = value;
            image.Lines[k] = row.Line;
        }

        var result = new Dictionary<string, RsnaImageLabel>(images.Count, StringComparer.Ordinal);
        foreach (var (key, image) in images)
        {
            var missing = Enumerable.Range(0, HemorrhageClasses.Count).Where(k => image.Lines[k] == 0).Select(k => HemorrhageClasses.Names[k]).ToList();
            if (missing.Count > 0)
                throw new DatasetFormatException($"image {key} has no row for {string.Join(", ", missing)}", table.Path, image.FirstLine);
            LabelRules.RequireAnyForSubtypes($"image {key}", image.Labels, table.Path, image.FirstLine);
            result[key] = new RsnaImageLabel(key, image.Labels, image.FirstLine);
        }
        return new LabelTable<RsnaImageLabel>(table.Path, result, duplicates);
    }
}
