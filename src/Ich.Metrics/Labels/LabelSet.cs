using Ich.Core;
using Ich.Core.Labels;

namespace Ich.Metrics.Labels;

/// <summary>
/// Ground truth read from one file: six 0/1 labels (<see cref="HemorrhageClasses"/> order) per key.
/// The key is a slice key (RSNA SOP; PhysioNet "NNN/slice") or, for CQ500, a scan key ("CQ500-CT-n").
/// The files are read by the project's one set of label readers (<c>Ich.Core.Labels</c>, rules in
/// docs/labels.md), the same that feed training; images whose labels are unknown (blank cells of a wide
/// RSNA file) are not ground truth and are left out.
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
        LabelFormat.Rsna or LabelFormat.Phantom => From(RsnaLabelFile.Read(path, legacyPhantomIds: format == LabelFormat.Phantom), format, l => l.Labels),
        LabelFormat.Physionet => From(PhysioNetLabelFile.Read(path), format, l => l.Labels),
        LabelFormat.Cq500 => From(Cq500ReadsFile.Read(path), format, l => l.Labels),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static LabelSet From<T>(LabelTable<T> table, LabelFormat format, Func<T, float[]?> labels)
    {
        var items = new Dictionary<string, bool[]>(table.Items.Count, StringComparer.Ordinal);
        foreach (var (key, item) in table.Items)
            if (labels(item) is { } known) items[key] = known.Select(v => v == 1).ToArray();
        return new LabelSet(table.Path, format, items, table.DuplicateRows);
    }
}
