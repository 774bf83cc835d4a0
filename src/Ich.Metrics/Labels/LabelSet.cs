using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Labels;

/// <summary>
/// Ground truth read from one file: six 0/1 labels (<see cref="HemorrhageClasses"/> order) per key.
/// The key is a slice key (RSNA SOP; PhysioNet "NNN/slice") or, for CQ500, a scan key ("CQ500-CT-n").
/// </summary>
public sealed class LabelSet(string path, LabelFormat format, IReadOnlyDictionary<string, bool[]> items, int duplicateRows)
{
    public string Path { get; } = path;
    public LabelFormat Format { get; } = format;

    /// <summary>Labels by key; slice keys unless <see cref="LabelFormat.Cq500"/>.</summary>
    public IReadOnlyDictionary<string, bool[]> Items { get; } = items;

    /// <summary>Rows dropped because they repeated an earlier row exactly (the real RSNA file has some).</summary>
    public int DuplicateRows { get; } = duplicateRows;

    public static LabelSet Read(string path, LabelFormat format) => format switch
    {
        LabelFormat.Rsna or LabelFormat.Phantom => RsnaLabelFile.Read(path, format),
        LabelFormat.Physionet => PhysionetLabelFile.Read(path),
        LabelFormat.Cq500 => Cq500ReadsFile.Read(path),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Fails with a message naming the format when columns are missing (usually: the wrong --format).</summary>
    internal static void RequireColumns(CsvTable table, LabelFormat format, IEnumerable<string> columns)
    {
        var missing = columns.Where(c => table.IndexOf(c) < 0).ToArray();
        if (missing.Length > 0)
            throw new DatasetFormatException(
                $"not a {format.Name()} label file: missing column(s) {string.Join(", ", missing)} (header: {string.Join(",", table.Header)})",
                table.Path, 1);
    }

    internal static bool ParseBinary(string text, string what, string path, int line) => text.Trim() switch
    {
        "0" => false,
        "1" => true,
        _ => throw new DatasetFormatException($"{what}: '{text}' is not 0 or 1", path, line),
    };
}
