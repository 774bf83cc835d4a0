using Ich.Core;

namespace Ich.Metrics.Evaluation;

/// <summary>One class's slices of the scans of one slice thickness, scored among themselves.</summary>
/// <param name="ThicknessMm">The scans' slice thickness, mm.</param>
/// <param name="Scans">Scans of that thickness.</param>
/// <param name="Auc">Those slices' positives against their negatives; null without both.</param>
public sealed record ThicknessStratum(double ThicknessMm, string Class, int Scans, int NPositive, int NNegative, double? Auc, BootstrapResult? Bootstrap);

/// <summary>
/// Slice-level discrimination by the scans' slice thickness: a pooled slice AUC weighs a scan by its slice count, so a
/// few thin series (a 0.625 mm scan has eight times the slices of a 5 mm one over the same head) can decide it; this
/// says for which thicknesses a detector works. Each group is scored on its own (its positives against its negatives).
/// </summary>
public static class ThicknessStrata
{
    /// <summary>
    /// The groups of every class, thinnest first. <paramref name="thicknessByScan"/> maps a scan ID to its slice thickness;
    /// slices of scans without one are in no group.
    /// </summary>
    /// <returns>The groups, and how many scans had no thickness.</returns>
    public static (IReadOnlyList<ThicknessStratum> Strata, int ScansWithoutThickness) Compute(
        IReadOnlyList<EvaluationRow> slices, IReadOnlyDictionary<string, double> thicknessByScan, EvaluationOptions options,
        CancellationToken cancellationToken = default)
    {
        var withoutThickness = slices.Select(r => r.ScanId).Distinct(StringComparer.Ordinal).Count(id => !thicknessByScan.ContainsKey(id));
        var groups = slices.Where(r => thicknessByScan.ContainsKey(r.ScanId)).GroupBy(r => thicknessByScan[r.ScanId]).OrderBy(g => g.Key);
        var strata = new List<ThicknessStratum>();
        foreach (var group in groups)
        {
            var rows = group.ToList();
            var scanIds = rows.Select(r => r.ScanId).ToArray();
            var scans = scanIds.Distinct(StringComparer.Ordinal).Count();
            for (var c = 0; c < HemorrhageClasses.Count; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var scores = rows.Select(r => r.Probabilities[c]).ToArray();
                var labels = rows.Select(r => r.Labels[c]).ToArray();
                var (p, n) = (labels.Count(y => y), labels.Count(y => !y));
                var defined = p > 0 && n > 0;
                strata.Add(new ThicknessStratum(group.Key, HemorrhageClasses.Names[c], scans, p, n,
                    defined ? RocAuc.Compute(scores, labels) : null,
                    defined ? BootstrapAuc.Compute(scores, labels, scanIds, options.BootstrapResamples, options.BootstrapSeed, cancellationToken) : null));
            }
        }
        return (strata, withoutThickness);
    }
}
