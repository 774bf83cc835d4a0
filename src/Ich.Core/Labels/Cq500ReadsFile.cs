using System.Globalization;
using System.Text.RegularExpressions;
using Ich.Core.Errors;
using Ich.Core.Text;

namespace Ich.Core.Labels;

/// <summary>Scan-level labels of one CQ500 scan.</summary>
/// <param name="Name">The <c>name</c> cell, e.g. "CQ500-CT-12".</param>
/// <param name="Number">The study number (12).</param>
/// <param name="Category">B1 or B2 (the batch), when the column is there.</param>
/// <param name="Labels">Majority (≥ 2 of 3 readers) per finding, in <see cref="HemorrhageClasses"/> order.</param>
/// <param name="Line">Line in reads.csv.</param>
public sealed record Cq500ScanLabel(string Name, int Number, string? Category, float[] Labels, int Line)
{
    /// <summary>The canonical key "CQ500-CT-&lt;n&gt;".</summary>
    public string Key => Cq500ReadsFile.KeyOf(Number);
}

/// <summary>
/// The one reader of CQ500 <c>reads.csv</c>, used by the CQ500 adapter (training) and <c>ich evaluate</c>: for
/// readers R1, R2, R3 the columns <c>R?:ICH</c> (→ any), <c>R?:EDH</c>, <c>R?:IPH</c>, <c>R?:IVH</c>, <c>R?:SAH</c>,
/// <c>R?:SDH</c>; the label of a finding is the majority of the three reads. Rules (docs/labels.md): cells are
/// 0 or 1; names are <c>CQ500-CT-&lt;n&gt;</c> (forms of <see cref="ScanKey"/>); a majority subtype without a
/// majority ICH is a <see cref="LabelContradictionException"/> (a majority ICH without a majority subtype is
/// allowed: the readers may disagree on the type); an exact repeat of a scan is dropped and counted, one with
/// other reads is an error. Other columns (fractures, mass effect ...) are ignored.
/// </summary>
public static partial class Cq500ReadsFile
{
    public const string FormatName = "cq500";

    /// <summary>reads.csv finding codes in <see cref="HemorrhageClasses"/> order.</summary>
    public static readonly IReadOnlyList<string> Findings = HemorrhageClasses.Abbreviations;

    public static readonly IReadOnlyList<string> Readers = ["R1", "R2", "R3"];

    public static LabelTable<Cq500ScanLabel> Read(string path) => Parse(CsvTable.Read(path));

    public static LabelTable<Cq500ScanLabel> Parse(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        LabelRules.RequireColumns(table, FormatName, ["name", .. Readers.SelectMany(r => Findings.Select(f => $"{r}:{f}"))]);
        var nameCol = table.IndexOf("name");
        var categoryCol = table.IndexOf("Category");
        var cols = Readers.Select(r => Findings.Select(f => table.IndexOf($"{r}:{f}")).ToArray()).ToArray();
        var items = new Dictionary<string, Cq500ScanLabel>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in table.Rows)
        {
            var name = row[nameCol].Trim();
            var number = StudyNumber(name) ?? throw new DatasetFormatException($"name '{name}' is not CQ500-CT-<number>", table.Path, row.Line);
            var labels = new float[HemorrhageClasses.Count];
            for (var f = 0; f < Findings.Count; f++)
            {
                var votes = 0f;
                for (var r = 0; r < Readers.Count; r++)
                    votes += LabelRules.Bit(row[cols[r][f]], $"{Readers[r]}:{Findings[f]}", name, table.Path, row.Line);
                labels[f] = votes >= 2 ? 1 : 0;
            }
            var k = LabelRules.SubtypeWithoutAny(labels);
            if (k >= 0)
                throw new LabelContradictionException($"scan {name}",
                    $"contradictory labels of scan {name}: majority {Findings[k]} = 1 but majority ICH = 0", table.Path, row.Line);
            var label = new Cq500ScanLabel(name, number, categoryCol >= 0 ? row[categoryCol].Trim() : null, labels, row.Line);
            if (!LabelRules.AddUnlessRepeat(items, label.Key, label, (a, b) => a.Labels.SequenceEqual(b.Labels), l => l.Line,
                    $"scan {name}", table.Path, row.Line))
                duplicates++;
        }
        LabelRules.RequireRows(items, table.Path);
        return new LabelTable<Cq500ScanLabel>(table.Path, items, duplicates);
    }

    /// <summary>"CQ500-CT-&lt;n&gt;".</summary>
    public static string KeyOf(int number) => string.Create(CultureInfo.InvariantCulture, $"CQ500-CT-{number}");

    /// <summary>
    /// The canonical key "CQ500-CT-&lt;n&gt;" of a reads.csv name or a predictions scan_id. Accepted forms:
    /// <c>CQ500-CT-12</c>, <c>CQ500CT12</c>, the archive's folder name <c>CQ500CT12 CQ500CT12</c>, each
    /// optionally followed by <c>/</c> and a series name (all series of one patient are pooled). Null otherwise.
    /// </summary>
    public static string? ScanKey(string id) => StudyNumber(id) is { } n ? KeyOf(n) : null;

    /// <summary>The study number of any form <see cref="ScanKey"/> accepts, or null.</summary>
    public static int? StudyNumber(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var m = ScanIdPattern().Match(id.Trim());
        return m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    [GeneratedRegex(@"^CQ500-?CT-?(\d+)(?: CQ500-?CT-?\1)?(?:/.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ScanIdPattern();
}
