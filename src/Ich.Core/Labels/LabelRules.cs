using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Core.Labels;

/// <summary>The checks every label reader shares (docs/labels.md lists the whole rule set).</summary>
internal static class LabelRules
{
    /// <summary>Fails naming the format when columns are missing (usually: the wrong format was chosen).</summary>
    public static void RequireColumns(CsvTable table, string format, IEnumerable<string> columns)
    {
        var missing = columns.Where(c => table.IndexOf(c) < 0).ToArray();
        if (missing.Length > 0)
            throw new DatasetFormatException(
                $"not a {format} label file: missing column(s) {string.Join(", ", missing)} (header: {string.Join(",", table.Header)})",
                table.Path, 1);
    }

    /// <summary>A label cell: exactly "0" or "1" (surrounding blanks ignored); anything else names column, value and item.</summary>
    public static float Bit(string cell, string column, string? of, string path, int line) => cell.Trim() switch
    {
        "0" => 0f,
        "1" => 1f,
        var other => throw new DatasetFormatException($"{column} '{other}'{(of is null ? "" : $" of {of}")} is not 0 or 1", path, line),
    };

    /// <summary>The first subtype (class index 1..5) marked 1 while any is 0, or -1 when the labels agree.</summary>
    public static int SubtypeWithoutAny(IReadOnlyList<float> labels)
    {
        for (var k = 1; k < labels.Count; k++)
            if (labels[k] == 1 && labels[0] == 0) return k;
        return -1;
    }

    /// <summary>Throws <see cref="LabelContradictionException"/> when a subtype is 1 but any is 0.</summary>
    public static void RequireAnyForSubtypes(string item, IReadOnlyList<float> labels, string path, int line)
    {
        var k = SubtypeWithoutAny(labels);
        if (k >= 0)
            throw new LabelContradictionException(item,
                $"contradictory labels of {item}: {HemorrhageClasses.Names[k]} = 1 but any = 0", path, line);
    }

    /// <summary>
    /// Adds <paramref name="item"/> under <paramref name="key"/> unless an earlier row has the key: an exact repeat
    /// (<paramref name="same"/>) returns false (the caller counts it), one with other values fails naming both lines.
    /// </summary>
    public static bool AddUnlessRepeat<T>(Dictionary<string, T> items, string key, T item, Func<T, T, bool> same, Func<T, int> lineOf,
        string what, string path, int line)
    {
        if (!items.TryGetValue(key, out var first))
        {
            items[key] = item;
            return true;
        }
        if (!same(first, item))
            throw new DatasetFormatException($"{what} listed twice (first on line {lineOf(first)}) with other values", path, line);
        return false;
    }

    /// <summary>No rows at all is an error: an empty ground truth would make every join silently empty.</summary>
    public static void RequireRows<T>(IReadOnlyDictionary<string, T> items, string path)
    {
        if (items.Count == 0) throw new DatasetFormatException("no label rows", path, 2);
    }
}
