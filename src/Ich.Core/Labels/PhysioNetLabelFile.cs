using System.Globalization;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Core.Labels;

/// <summary>One labelled slice of the PhysioNet CT-ICH table.</summary>
/// <param name="Patient">PatientNumber (e.g. 49).</param>
/// <param name="Slice">SliceNumber, 1 = lowest.</param>
/// <param name="Labels">Six 0/1 labels in <see cref="HemorrhageClasses"/> order (any = 1 − No_Hemorrhage).</param>
/// <param name="Fracture">Fracture_Yes_No (not a model output; kept for analyses); false when the column is absent.</param>
/// <param name="Line">1-based line in the CSV.</param>
public sealed record PhysioNetSliceLabel(int Patient, int Slice, float[] Labels, bool Fracture, int Line)
{
    /// <summary>The slice's key, <see cref="PhysioNetLabelFile.SliceKey"/>.</summary>
    public string Key => PhysioNetLabelFile.SliceKey(Patient, Slice);
}

/// <summary>
/// The one reader of <c>hemorrhage_diagnosis.csv</c> (v1.0.0) and <c>hemorrhage_diagnosis_raw_ct.csv</c> (v1.3.1),
/// used by both PhysioNet adapters (training) and <c>ich evaluate</c>: PatientNumber, SliceNumber,
/// Intraventricular, Intraparenchymal, Subarachnoid, Epidural, Subdural, No_Hemorrhage, optional Fracture_Yes_No.
/// Rules (docs/labels.md): patient and slice numbers are positive integers; cells are 0 or 1; No_Hemorrhage must
/// be exactly "no subtype is 1" (otherwise <see cref="LabelContradictionException"/>), so any = 1 − No_Hemorrhage;
/// an exact repeat of a (patient, slice) row is dropped and counted, one with other values is an error.
/// </summary>
public static class PhysioNetLabelFile
{
    public const string FormatName = "physionet";

    /// <summary>Subtype columns and their <see cref="HemorrhageClasses"/> index.</summary>
    private static readonly (string Column, int Class)[] Subtypes =
        [("Epidural", 1), ("Intraparenchymal", 2), ("Intraventricular", 3), ("Subarachnoid", 4), ("Subdural", 5)];

    /// <summary>"NNN/slice" with the patient number zero-padded to three digits (the folder and scan ID).</summary>
    public static string SliceKey(int patient, int slice) => string.Create(CultureInfo.InvariantCulture, $"{PatientId(patient)}/{slice}");

    /// <summary>The patient's folder name and scan ID, zero-padded to three digits ("049").</summary>
    public static string PatientId(int patient) => patient.ToString("000", CultureInfo.InvariantCulture);

    public static LabelTable<PhysioNetSliceLabel> Read(string path) => Parse(CsvTable.Read(path));

    public static LabelTable<PhysioNetSliceLabel> Parse(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        LabelRules.RequireColumns(table, FormatName, ["PatientNumber", "SliceNumber", .. Subtypes.Select(s => s.Column), "No_Hemorrhage"]);
        int patientCol = table.IndexOf("PatientNumber"), sliceCol = table.IndexOf("SliceNumber"),
            noneCol = table.IndexOf("No_Hemorrhage"), fractureCol = table.IndexOf("Fracture_Yes_No");
        var items = new Dictionary<string, PhysioNetSliceLabel>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var patient = PositiveInt(table, row, patientCol, "PatientNumber");
            var slice = PositiveInt(table, row, sliceCol, "SliceNumber");
            var labels = new float[HemorrhageClasses.Count];
            foreach (var (column, k) in Subtypes)
                labels[k] = LabelRules.Bit(row[table.IndexOf(column)], column, null, table.Path, row.Line);
            var none = LabelRules.Bit(row[noneCol], "No_Hemorrhage", null, table.Path, row.Line) == 1;
            var anySubtype = labels.Skip(1).Any(v => v == 1);
            if (none == anySubtype)
                throw new LabelContradictionException($"patient {patient} slice {slice}",
                    $"contradictory labels of patient {patient} slice {slice}: " +
                    (none ? "No_Hemorrhage = 1 but a subtype is 1" : "No_Hemorrhage = 0 but no subtype is 1"), table.Path, row.Line);
            labels[0] = anySubtype ? 1 : 0;
            var fracture = fractureCol >= 0 && LabelRules.Bit(row[fractureCol], "Fracture_Yes_No", null, table.Path, row.Line) == 1;
            var label = new PhysioNetSliceLabel(patient, slice, labels, fracture, row.Line);
            if (!LabelRules.AddUnlessRepeat(items, label.Key, label, (a, b) => a.Labels.SequenceEqual(b.Labels) && a.Fracture == b.Fracture,
                    l => l.Line, $"patient {patient} slice {slice}", table.Path, row.Line))
                duplicates++;
        }
        LabelRules.RequireRows(items, table.Path);
        return new LabelTable<PhysioNetSliceLabel>(table.Path, items, duplicates);
    }

    private static int PositiveInt(CsvTable table, CsvRow row, int col, string name)
    {
        var text = row[col].Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v <= 0)
            throw new DatasetFormatException($"{name} '{text}' is not a positive integer", table.Path, row.Line);
        return v;
    }
}
