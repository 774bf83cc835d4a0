using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Metrics.Labels;

/// <summary>
/// PhysioNet CT-ICH <c>hemorrhage_diagnosis.csv</c> (UTF-8 BOM): one row per slice with the five subtypes,
/// No_Hemorrhage and Fracture_Yes_No. any = 1 − No_Hemorrhage, and it must agree with the subtypes
/// (any = 1 exactly when some subtype is 1). Keys are <see cref="SliceKey"/>.
/// </summary>
internal static class PhysionetLabelFile
{
    private static readonly (string Column, int Class)[] Subtypes =
    [
        ("Intraventricular", 3), ("Intraparenchymal", 2), ("Subarachnoid", 4), ("Epidural", 1), ("Subdural", 5),
    ];

    /// <summary>"NNN/slice" with the patient number zero-padded to three digits (the folder name).</summary>
    public static string SliceKey(int patient, int slice) => string.Create(CultureInfo.InvariantCulture, $"{patient:D3}/{slice}");

    public static LabelSet Read(string path)
    {
        var table = CsvTable.Read(path);
        LabelSet.RequireColumns(table, LabelFormat.Physionet,
            ["PatientNumber", "SliceNumber", .. Subtypes.Select(s => s.Column), "No_Hemorrhage"]);
        int patientColumn = table.IndexOf("PatientNumber"), sliceColumn = table.IndexOf("SliceNumber"),
            noneColumn = table.IndexOf("No_Hemorrhage");
        var items = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var patient = Number(row[patientColumn], "PatientNumber", path, row.Line);
            var slice = Number(row[sliceColumn], "SliceNumber", path, row.Line);
            var labels = new bool[HemorrhageClasses.Count];
            foreach (var (column, c) in Subtypes)
                labels[c] = LabelSet.ParseBinary(row[table.IndexOf(column)], column, path, row.Line);
            var none = LabelSet.ParseBinary(row[noneColumn], "No_Hemorrhage", path, row.Line);
            labels[0] = !none;
            var anySubtype = labels.Skip(1).Any(x => x);
            if (anySubtype == none)
                throw new DatasetFormatException(
                    none ? "No_Hemorrhage = 1 but a subtype is marked" : "No_Hemorrhage = 0 but no subtype is marked", path, row.Line);
            var key = SliceKey(patient, slice);
            if (items.TryGetValue(key, out var earlier))
            {
                if (!earlier.SequenceEqual(labels))
                    throw new DatasetFormatException(
                        $"contradictory duplicate of patient {patient} slice {slice} (line {lines[key]})", path, row.Line);
                duplicates++;
                continue;
            }
            items[key] = labels;
            lines[key] = row.Line;
        }
        if (items.Count == 0) throw new DatasetFormatException("no label rows", path, 2);
        return new LabelSet(path, LabelFormat.Physionet, items, duplicates);
    }

    private static int Number(string text, string column, string path, int line) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new DatasetFormatException($"{column}: '{text}' is not a non-negative integer", path, line);
}
