using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Data.Catalog;

namespace Ich.Data.Rsna;

/// <summary>Labels of one RSNA image.</summary>
/// <param name="ImageId">The image ID as in the label file, e.g. "ID_000039fa0" (= SOPInstanceUID of the file).</param>
/// <param name="Labels">Six 0/1 values in <see cref="HemorrhageClasses"/> order, or null when unknown (blank cells of a wide file).</param>
/// <param name="Line">First line of the image in the file.</param>
public sealed record RsnaImageLabel(string ImageId, float[]? Labels, int Line);

/// <summary>
/// RSNA 2019 labels, in either layout:
/// <list type="bullet">
/// <item>long (the challenge's <c>stage_2_train.csv</c>): header <c>ID,Label</c>, one row per image and
/// subtype, <c>ID_&lt;hex&gt;_&lt;subtype&gt;</c>. Exact duplicate rows (present in the real file) are
/// counted and reported; conflicting duplicates, unknown subtypes, values other than 0/1, images with
/// fewer than six subtypes and a subtype = 1 with any = 0 are errors naming file and line;</item>
/// <item>wide (e.g. the realdata <c>labels.csv</c>, phantoms): an image-ID column (<c>rsna_image_id</c>,
/// <c>ID</c>, <c>SOPInstanceUID</c>, <c>image_id</c>, else <c>file</c> without <c>.dcm</c>) and the six
/// class-name columns; a row with blank class cells has unknown labels.</item>
/// </list>
/// </summary>
public static class RsnaLabels
{
    private static readonly string[] IdColumns = ["rsna_image_id", "ID", "SOPInstanceUID", "image_id", "file", "filename"];

    public static IReadOnlyDictionary<string, RsnaImageLabel> Read(string path, LoadReport? report = null)
    {
        var table = CsvTable.Read(path);
        return table.IndexOf("Label") >= 0 && table.IndexOf("ID") >= 0 && table.Header.Length == 2
            ? ParseLong(table, report)
            : ParseWide(table, report);
    }

    public static IReadOnlyDictionary<string, RsnaImageLabel> ParseLong(CsvTable table, LoadReport? report = null)
    {
        var idCol = table.Require("ID");
        var labelCol = table.Require("Label");
        var values = new Dictionary<string, (float[] Labels, bool[] Seen, int[] Lines, int First)>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var id = row[idCol].Trim();
            var cut = id.LastIndexOf('_');
            if (cut <= 0 || cut == id.Length - 1)
                throw new DatasetFormatException($"ID '{id}' is not ID_<image>_<subtype>", table.Path, row.Line);
            var image = id[..cut];
            var subtype = id[(cut + 1)..];
            var k = HemorrhageClasses.IndexOf(subtype);
            if (k < 0)
                throw new DatasetFormatException($"unknown subtype '{subtype}' in '{id}' (expected one of {string.Join(", ", HemorrhageClasses.Names)})", table.Path, row.Line);
            var value = row[labelCol].Trim() switch
            {
                "0" => 0f,
                "1" => 1f,
                var other => throw new DatasetFormatException($"Label '{other}' of '{id}' is not 0 or 1", table.Path, row.Line),
            };
            if (!values.TryGetValue(image, out var entry))
                values[image] = entry = (new float[HemorrhageClasses.Count], new bool[HemorrhageClasses.Count], new int[HemorrhageClasses.Count], row.Line);
            if (entry.Seen[k])
            {
                if (entry.Labels[k] != value)
                    throw new DatasetFormatException($"conflicting duplicate: '{id}' is {entry.Labels[k]} on line {entry.Lines[k]} and {value} here", table.Path, row.Line);
                duplicates++;
                continue;
            }
            entry.Seen[k] = true;
            entry.Labels[k] = value;
            entry.Lines[k] = row.Line;
        }
        if (duplicates > 0) report?.Note(table.Path, null, $"{duplicates} exact duplicate rows ignored");

        var result = new Dictionary<string, RsnaImageLabel>(values.Count, StringComparer.Ordinal);
        foreach (var (image, entry) in values)
        {
            var missing = Enumerable.Range(0, HemorrhageClasses.Count).Where(k => !entry.Seen[k]).Select(k => HemorrhageClasses.Names[k]).ToList();
            if (missing.Count > 0)
                throw new DatasetFormatException($"image {image} has no row for: {string.Join(", ", missing)}", table.Path, entry.First);
            CheckConsistent(image, entry.Labels, table.Path, entry.First);
            result[image] = new RsnaImageLabel(image, entry.Labels, entry.First);
        }
        return result;
    }

    public static IReadOnlyDictionary<string, RsnaImageLabel> ParseWide(CsvTable table, LoadReport? report = null)
    {
        var idName = IdColumns.FirstOrDefault(c => table.IndexOf(c) >= 0)
                     ?? throw new DatasetFormatException($"no image-ID column (one of {string.Join(", ", IdColumns)}; or the long layout ID,Label); header: {string.Join(",", table.Header)}", table.Path, 1);
        var idCol = table.IndexOf(idName);
        var classCols = HemorrhageClasses.Names.Select(table.Require).ToArray();
        var result = new Dictionary<string, RsnaImageLabel>(StringComparer.Ordinal);
        var partial = 0;
        foreach (var row in table.Rows)
        {
            var id = row[idCol].Trim();
            if (idName is "file" or "filename")
            {
                id = Path.GetFileName(id);
                if (id.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase)) id = id[..^4];
            }
            if (id.Length == 0) throw new DatasetFormatException($"empty {idName}", table.Path, row.Line);
            if (result.TryGetValue(id, out var previous))
                throw new DatasetFormatException($"image {id} listed twice (first on line {previous.Line})", table.Path, row.Line);
            var cells = classCols.Select(c => row[c].Trim()).ToArray();
            float[]? labels = null;
            if (cells.All(c => c.Length > 0))
            {
                labels = new float[HemorrhageClasses.Count];
                for (var k = 0; k < cells.Length; k++)
                    labels[k] = cells[k] switch
                    {
                        "0" => 0f,
                        "1" => 1f,
                        var other => throw new DatasetFormatException($"{HemorrhageClasses.Names[k]} '{other}' of {id} is not 0, 1 or blank", table.Path, row.Line),
                    };
                CheckConsistent(id, labels, table.Path, row.Line);
            }
            else
            {
                foreach (var (cell, k) in cells.Select((c, k) => (c, k)))
                    if (cell is not ("" or "0" or "1"))
                        throw new DatasetFormatException($"{HemorrhageClasses.Names[k]} '{cell}' of {id} is not 0, 1 or blank", table.Path, row.Line);
                if (cells.Any(c => c.Length > 0)) partial++;
            }
            result[id] = new RsnaImageLabel(id, labels, row.Line);
        }
        if (partial > 0) report?.Note(table.Path, null, $"{partial} image(s) with only some labels known are treated as unlabelled");
        return result;
    }

    private static void CheckConsistent(string image, float[] labels, string path, int line)
    {
        for (var k = 1; k < labels.Length; k++)
            if (labels[k] == 1 && labels[0] == 0)
                throw new DatasetFormatException($"mislabelled image {image}: {HemorrhageClasses.Names[k]} = 1 but any = 0", path, line);
    }
}
