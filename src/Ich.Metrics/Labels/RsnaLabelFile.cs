using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Labels;

/// <summary>
/// RSNA 2019 long-format labels (<c>ID,Label</c>, ID = <c>&lt;SOP&gt;_&lt;subtype&gt;</c>, e.g.
/// <c>ID_63eb1e259_epidural,0</c>): the SOP is everything before the last underscore (RSNA SOPs themselves
/// start with <c>ID_</c>; no prefix is ever added or removed). <c>ich synth</c>'s labels.csv and <c>ich predict</c>'s
/// submission.csv follow the same rule. The deprecated format <c>phantom</c> reads the same layout and also
/// accepts label files of earlier <c>ich synth</c> versions, which wrapped DICOM UIDs as
/// <c>ID_&lt;SOPInstanceUID&gt;_&lt;subtype&gt;</c>: there an <c>ID_</c> followed by a digit (a DICOM UID) is removed.
/// Identical repeated rows are dropped and counted; contradictory ones and SOPs missing a class are errors.
/// </summary>
internal static class RsnaLabelFile
{
    public static LabelSet Read(string path, LabelFormat format)
    {
        var table = CsvTable.Read(path);
        LabelSet.RequireColumns(table, format, ["ID", "Label"]);
        int idColumn = table.IndexOf("ID"), labelColumn = table.IndexOf("Label");
        var values = new Dictionary<string, (sbyte[] Value, int[] Line)>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var id = row[idColumn].Trim();
            var cut = id.LastIndexOf('_');
            var classIndex = cut > 0 ? HemorrhageClasses.IndexOf(id[(cut + 1)..]) : -1;
            if (classIndex < 0)
                throw new DatasetFormatException(
                    $"ID '{id}' is not <SOP>_<subtype> with subtype one of {string.Join(", ", HemorrhageClasses.Names)}", path, row.Line);
            var sop = id[..cut];
            if (format == LabelFormat.Phantom && IsLegacyPhantomId(sop)) sop = sop[3..];
            var label = LabelSet.ParseBinary(row[labelColumn], $"Label of {id}", path, row.Line);
            if (!values.TryGetValue(sop, out var entry))
            {
                entry = (Enumerable.Repeat((sbyte)-1, HemorrhageClasses.Count).ToArray(), new int[HemorrhageClasses.Count]);
                values[sop] = entry;
            }
            var v = (sbyte)(label ? 1 : 0);
            if (entry.Value[classIndex] == v) { duplicates++; continue; }
            if (entry.Value[classIndex] >= 0)
                throw new DatasetFormatException(
                    $"contradictory duplicate: {id} is {v} here but {entry.Value[classIndex]} on line {entry.Line[classIndex]}", path, row.Line);
            entry.Value[classIndex] = v;
            entry.Line[classIndex] = row.Line;
        }
        if (values.Count == 0) throw new DatasetFormatException("no label rows", path, 2);
        var items = new Dictionary<string, bool[]>(values.Count, StringComparer.Ordinal);
        foreach (var (sop, (value, lines)) in values)
        {
            var missing = Enumerable.Range(0, HemorrhageClasses.Count).Where(c => value[c] < 0).Select(c => HemorrhageClasses.Names[c]).ToArray();
            if (missing.Length > 0)
                throw new DatasetFormatException(
                    $"SOP {sop} has no row for {string.Join(", ", missing)}", path, lines.Where(l => l > 0).Min());
            items[sop] = value.Select(x => x == 1).ToArray();
        }
        return new LabelSet(path, format, items, duplicates);
    }

    /// <summary>"ID_" + a DICOM UID (starts with a digit): how earlier ich synth versions wrote phantom SOPs. RSNA's own "ID_&lt;hex&gt;" SOPs start with a letter or digit too, but are never read as phantom.</summary>
    private static bool IsLegacyPhantomId(string sop) => sop.Length > 3 && sop.StartsWith("ID_", StringComparison.Ordinal) && char.IsAsciiDigit(sop[3]) && sop.Contains('.', StringComparison.Ordinal);
}
