using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Data.Cq500;

/// <summary>Scan-level labels of one CQ500 scan.</summary>
/// <param name="Name">The <c>name</c> cell, e.g. "CQ500-CT-12".</param>
/// <param name="Category">B1 or B2 (the batch), when the column is there.</param>
/// <param name="Labels">Majority (≥ 2 of 3 readers) per finding, in <see cref="HemorrhageClasses"/> order.</param>
/// <param name="Line">Line in reads.csv.</param>
public sealed record Cq500ScanLabel(string Name, string? Category, float[] Labels, int Line);

/// <summary>
/// CQ500 <c>reads.csv</c>: for readers R1, R2, R3 the columns <c>R?:ICH</c> (→ any), <c>R?:EDH</c>,
/// <c>R?:IPH</c>, <c>R?:IVH</c>, <c>R?:SAH</c>, <c>R?:SDH</c> (0/1); the label of a finding is the
/// majority of the three reads (the usual gold standard). Other columns (fractures, mass effect ...)
/// are ignored.
/// </summary>
public static class Cq500Reads
{
    /// <summary>reads.csv finding codes in <see cref="HemorrhageClasses"/> order.</summary>
    public static readonly IReadOnlyList<string> Findings = ["ICH", "EDH", "IPH", "IVH", "SAH", "SDH"];

    public static readonly IReadOnlyList<string> Readers = ["R1", "R2", "R3"];

    public static IReadOnlyDictionary<string, Cq500ScanLabel> Read(string path)
    {
        var table = CsvTable.Read(path);
        var nameCol = table.Require("name");
        var categoryCol = table.IndexOf("Category");
        var cols = Readers.Select(r => Findings.Select(f => table.Require($"{r}:{f}")).ToArray()).ToArray();
        var result = new Dictionary<string, Cq500ScanLabel>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in table.Rows)
        {
            var name = row[nameCol].Trim();
            if (name.Length == 0) throw new DatasetFormatException("empty name", table.Path, row.Line);
            if (StudyNumber(name) is null)
                throw new DatasetFormatException($"name '{name}' is not CQ500-CT-<number>", table.Path, row.Line);
            if (result.TryGetValue(name, out var previous))
                throw new DatasetFormatException($"scan {name} listed twice (first on line {previous.Line})", table.Path, row.Line);
            var labels = new float[HemorrhageClasses.Count];
            for (var f = 0; f < Findings.Count; f++)
            {
                var votes = 0;
                for (var r = 0; r < Readers.Count; r++)
                    votes += row[cols[r][f]].Trim() switch
                    {
                        "0" => 0,
                        "1" => 1,
                        var other => throw new DatasetFormatException($"{Readers[r]}:{Findings[f]} '{other}' of {name} is not 0 or 1", table.Path, row.Line),
                    };
                labels[f] = votes >= 2 ? 1 : 0;
            }
            for (var k = 1; k < labels.Length; k++)
                if (labels[k] == 1 && labels[0] == 0)
                    throw new DatasetFormatException(
                        $"mislabelled scan {name}: majority {Findings[k]} = 1 but majority ICH = 0", table.Path, row.Line);
            result[name] = new Cq500ScanLabel(name, categoryCol >= 0 ? row[categoryCol].Trim() : null, labels, row.Line);
        }
        return result;
    }

    /// <summary>The number in "CQ500-CT-12" or in a folder name "CQ500CT12 CQ500CT12", or null.</summary>
    public static int? StudyNumber(string nameOrFolder)
    {
        var m = System.Text.RegularExpressions.Regex.Match(nameOrFolder, @"^CQ500-?CT-?(\d+)(\s|$)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
