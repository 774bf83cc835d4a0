using System.Globalization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Data.PhysioNet;

/// <summary>One labelled slice of the PhysioNet CT-ICH table.</summary>
/// <param name="Patient">PatientNumber (e.g. 49).</param>
/// <param name="Slice">SliceNumber, 1 = lowest.</param>
/// <param name="Labels">Six 0/1 labels in <see cref="HemorrhageClasses"/> order (any = not No_Hemorrhage).</param>
/// <param name="Fracture">Fracture_Yes_No (not a model output; kept for analyses).</param>
/// <param name="Line">1-based line in the CSV.</param>
public sealed record PhysioNetSliceLabel(int Patient, int Slice, float[] Labels, bool Fracture, int Line);

/// <summary>
/// Reads <c>hemorrhage_diagnosis.csv</c> (v1.0.0) or <c>hemorrhage_diagnosis_raw_ct.csv</c> (v1.3.1):
/// PatientNumber, SliceNumber, Intraventricular, Intraparenchymal, Subarachnoid, Epidural, Subdural,
/// No_Hemorrhage, Fracture_Yes_No (0/1). Strict: every value must be 0/1, a (patient, slice) pair
/// may appear once, and No_Hemorrhage must equal "no subtype present"; any violation is a
/// <see cref="DatasetFormatException"/> naming the file and line.
/// </summary>
public static class PhysioNetLabels
{
    /// <summary>Subtype columns in <see cref="HemorrhageClasses"/> order (index 1..5).</summary>
    private static readonly string[] SubtypeColumns = ["Epidural", "Intraparenchymal", "Intraventricular", "Subarachnoid", "Subdural"];

    public static IReadOnlyList<PhysioNetSliceLabel> Read(string csvPath) => Parse(CsvTable.Read(csvPath));

    public static IReadOnlyList<PhysioNetSliceLabel> Parse(CsvTable table)
    {
        var patientCol = table.Require("PatientNumber");
        var sliceCol = table.Require("SliceNumber");
        var subtypeCols = SubtypeColumns.Select(table.Require).ToArray();
        var noneCol = table.Require("No_Hemorrhage");
        var fractureCol = table.IndexOf("Fracture_Yes_No");

        var seen = new Dictionary<(int, int), int>();
        var result = new List<PhysioNetSliceLabel>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            var patient = PositiveInt(table, row, patientCol, "PatientNumber");
            var slice = PositiveInt(table, row, sliceCol, "SliceNumber");
            if (seen.TryGetValue((patient, slice), out var firstLine))
                throw new DatasetFormatException($"patient {patient} slice {slice} listed twice (first on line {firstLine})", table.Path, row.Line);
            seen[(patient, slice)] = row.Line;

            var labels = new float[HemorrhageClasses.Count];
            var anySubtype = false;
            for (var k = 0; k < subtypeCols.Length; k++)
            {
                var v = Bit(table, row, subtypeCols[k], SubtypeColumns[k]);
                labels[k + 1] = v ? 1 : 0;
                anySubtype |= v;
            }
            var none = Bit(table, row, noneCol, "No_Hemorrhage");
            if (none == anySubtype)
                throw new DatasetFormatException(
                    none ? $"mislabelled row: No_Hemorrhage=1 but a subtype is 1 (patient {patient} slice {slice})"
                         : $"mislabelled row: No_Hemorrhage=0 but no subtype is 1 (patient {patient} slice {slice})",
                    table.Path, row.Line);
            labels[0] = anySubtype ? 1 : 0;
            var fracture = fractureCol >= 0 && Bit(table, row, fractureCol, "Fracture_Yes_No");
            result.Add(new PhysioNetSliceLabel(patient, slice, labels, fracture, row.Line));
        }
        return result;
    }

    private static int PositiveInt(CsvTable table, Ich.Core.Text.CsvRow row, int col, string name)
    {
        var text = row[col].Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v <= 0)
            throw new DatasetFormatException($"{name} '{text}' is not a positive integer", table.Path, row.Line);
        return v;
    }

    private static bool Bit(CsvTable table, Ich.Core.Text.CsvRow row, int col, string name) =>
        row[col].Trim() switch
        {
            "0" => false,
            "1" => true,
            var other => throw new DatasetFormatException($"{name} '{other}' is not 0 or 1", table.Path, row.Line),
        };
}
