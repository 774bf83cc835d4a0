using System.Globalization;
using System.Text;
using Ich.Synth.Output;

namespace Ich.Synth;

/// <summary>Label statistics over generated scans: how often each subtype, thickness and encoding occurs.</summary>
public sealed record LabelStatistics(
    int Scans,
    int PositiveScans,
    int Slices,
    int PositiveSlices,
    IReadOnlyList<int> ScansWithSubtype,
    IReadOnlyList<int> SlicesWithSubtype,
    IReadOnlyDictionary<double, int> ScansByThickness,
    IReadOnlyDictionary<string, int> ScansByEncoding)
{
    public double PositiveScanFraction => Scans == 0 ? 0 : PositiveScans / (double)Scans;

    /// <summary>Fraction of positive scans that contain subtype <paramref name="t"/> (0 = epidural … 4 = subdural).</summary>
    public double SubtypeFractionOfPositive(int t) => PositiveScans == 0 ? 0 : ScansWithSubtype[t] / (double)PositiveScans;

    public static LabelStatistics From(IReadOnlyCollection<PhantomScan> scans)
    {
        var bySubtype = new int[5];
        var slicesBySubtype = new int[5];
        foreach (var s in scans)
            for (var t = 0; t < 5; t++)
            {
                if (s.Has(t)) bySubtype[t]++;
                slicesBySubtype[t] += s.Slices.Count(x => x.Has(t));
            }
        return new LabelStatistics(scans.Count, scans.Count(s => s.Any), scans.Sum(s => s.Slices.Count),
            scans.Sum(s => s.Slices.Count(x => x.Any)), bySubtype, slicesBySubtype,
            scans.GroupBy(s => s.Plan.ThicknessMm).OrderByDescending(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            scans.GroupBy(s => $"{s.Plan.Encoding}/{(s.Plan.ImplicitVr ? "implicit" : "explicit")}").OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()));
    }

    public string Format()
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(string.Create(ci, $"scans: {Scans}, with any bleed: {PositiveScans} ({100 * PositiveScanFraction:F1} %)"));
        sb.AppendLine(string.Create(ci, $"slices: {Slices}, positive: {PositiveSlices} ({100.0 * PositiveSlices / Math.Max(1, Slices):F1} %)"));
        sb.AppendLine("subtype            scans  % of positive scans  slices");
        for (var t = 0; t < 5; t++)
            sb.AppendLine(string.Create(ci, $"{BleedMaskFile.SubtypeNames[t],-18} {ScansWithSubtype[t],5}  {100 * SubtypeFractionOfPositive(t),19:F1}  {SlicesWithSubtype[t],6}"));
        sb.AppendLine("thickness: " + string.Join(", ", ScansByThickness.Select(kv => string.Create(ci, $"{kv.Key} mm: {kv.Value}"))));
        sb.AppendLine("encoding: " + string.Join(", ", ScansByEncoding.Select(kv => $"{kv.Key}: {kv.Value}")));
        return sb.ToString();
    }
}
