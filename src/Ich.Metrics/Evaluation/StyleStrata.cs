using Ich.Core;

namespace Ich.Metrics.Evaluation;

/// <summary>
/// The scans whose value of one style parameter lies in [<paramref name="Low"/>, <paramref name="High"/>], scored on
/// "any" among themselves.
/// </summary>
/// <param name="Parameter">The style parameter (e.g. <c>NoiseGrainPasses</c>).</param>
/// <param name="Low">Smallest value in the group.</param>
/// <param name="High">Largest value in the group.</param>
/// <param name="Scans">Scans in the group; <paramref name="NegativeScans"/> of them have no bleed.</param>
/// <param name="SliceAuc">Slice AUC(any) of the group's slices among themselves; null without positives and negatives.</param>
/// <param name="FalsePositiveLevel">Over the group's bleed-free scans, the median of each scan's 90th centile of P(any): how
/// high a bleed-free scan's top slices score. Null without bleed-free scans.</param>
/// <param name="BleedLevel">Over the group's scans with a bleed, the median of each scan's median P(any) on its bleeding slices.
/// Null without such scans.</param>
public sealed record StyleStratum(string Parameter, double Low, double High, int Scans, int NegativeScans, int PositiveSlices,
    double? SliceAuc, double? FalsePositiveLevel, double? BleedLevel);

/// <summary>
/// Slice-level "any" by the values a generator drew for each scan (<c>ich synth</c>'s style_values.csv): which drawn
/// parameter goes with the misses. Per parameter, the scans are split by their value — one group per value when it takes
/// at most <see cref="MaxDistinctGroups"/> values, otherwise three groups of (nearly) equal scan count, lowest values
/// first — and each group is scored among itself. Besides the group's slice AUC it gives the two halves of a pooled
/// AUC loss: how high bleed-free scans score (<see cref="StyleStratum.FalsePositiveLevel"/>) and how high bleeds score
/// (<see cref="StyleStratum.BleedLevel"/>). Groups are a few scans each: they point at a cause, they do not measure it.
/// </summary>
public static class StyleStrata
{
    /// <summary>A parameter with this many distinct values or fewer gets one group per value.</summary>
    public const int MaxDistinctGroups = 4;

    private const int Quantiles = 3;

    /// <returns>The groups, by parameter name (ordinal) then value; and how many scans had no style values.</returns>
    public static (IReadOnlyList<StyleStratum> Strata, int ScansWithoutValues) Compute(IReadOnlyList<EvaluationRow> slices,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> valuesByScan, CancellationToken cancellationToken = default)
    {
        var any = HemorrhageClasses.IndexOf("any");
        var byScan = slices.GroupBy(r => r.ScanId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var without = byScan.Keys.Count(id => !valuesByScan.ContainsKey(id));
        var parameters = byScan.Keys.Where(valuesByScan.ContainsKey).SelectMany(id => valuesByScan[id].Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var strata = new List<StyleStratum>();
        foreach (var parameter in parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scans = byScan.Keys.Where(id => valuesByScan.TryGetValue(id, out var v) && v.ContainsKey(parameter))
                .Select(id => (Id: id, Value: valuesByScan[id][parameter])).OrderBy(s => s.Value).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
            foreach (var group in Groups(scans))
                strata.Add(Score(parameter, group, byScan, any));
        }
        return (strata, without);
    }

    private static IEnumerable<List<(string Id, double Value)>> Groups(List<(string Id, double Value)> scans)
    {
        var distinct = scans.Select(s => s.Value).Distinct().Count();
        if (distinct <= MaxDistinctGroups)
        {
            foreach (var g in scans.GroupBy(s => s.Value)) yield return g.ToList();
            yield break;
        }
        for (var q = 0; q < Quantiles; q++)
        {
            var (from, to) = (q * scans.Count / Quantiles, (q + 1) * scans.Count / Quantiles);
            if (to > from) yield return scans.GetRange(from, to - from);
        }
    }

    private static StyleStratum Score(string parameter, List<(string Id, double Value)> group, Dictionary<string, List<EvaluationRow>> byScan, int any)
    {
        var rows = group.SelectMany(s => byScan[s.Id]).ToList();
        var labels = rows.Select(r => r.Labels[any]).ToArray();
        var (p, n) = (labels.Count(y => y), labels.Count(y => !y));
        double? auc = p > 0 && n > 0 ? RocAuc.Compute(rows.Select(r => r.Probabilities[any]).ToArray(), labels) : null;
        var negativeScans = group.Select(s => byScan[s.Id]).Where(r => r.All(x => !x.Labels[any])).ToList();
        var positiveScans = group.Select(s => byScan[s.Id]).Where(r => r.Any(x => x.Labels[any])).ToList();
        return new StyleStratum(parameter, group[0].Value, group[^1].Value, group.Count, negativeScans.Count, p, auc,
            Median(negativeScans.Select(r => Quantile(r.Select(x => x.Probabilities[any]), 0.9))),
            Median(positiveScans.Select(r => Quantile(r.Where(x => x.Labels[any]).Select(x => x.Probabilities[any]), 0.5))));
    }

    /// <summary>The q-quantile by linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double? Median(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : Quantile(list, 0.5);
    }
}
