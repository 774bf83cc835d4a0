using Ich.Core;

namespace Ich.Metrics.Evaluation;

/// <summary>
/// One class's positive slices of one lesion-size band, scored against every negative slice of that class.
/// </summary>
/// <param name="MinMm2">Lower edge of the band (inclusive), mm².</param>
/// <param name="MaxMm2">Upper edge (exclusive), null for the open top band.</param>
/// <param name="NPositive">Positive slices whose lesion area of this class falls in the band.</param>
/// <param name="Auc">Those positives against all the class's negatives; null when there are none.</param>
/// <param name="Sensitivity">Share of those positives at or above the class's operating threshold at slice level; null without one.</param>
public sealed record LesionSizeStratum(
    string Class, double MinMm2, double? MaxMm2, int NPositive, int NNegative, double? Auc, BootstrapResult? Bootstrap, double? Sensitivity);

/// <summary>
/// Slice-level discrimination by lesion size: where a detector's misses are (small or thin bleeds, in practice), which a
/// pooled AUC hides. Sizes come from masks (phantom masks give every bleed's area per subtype); "any" uses the area of
/// the union of the subtypes. A positive label without a size (no entry for the slice, or an empty mask of that class)
/// is counted, not guessed into a band.
/// </summary>
public static class LesionSizeStrata
{
    /// <summary>Band edges in mm²: under 25, 25–100, 100–400, 400 and more.</summary>
    public static readonly IReadOnlyList<double> DefaultEdgesMm2 = [0, 25, 100, 400];

    /// <summary>
    /// The bands of every class. <paramref name="areasMm2"/> maps a slice ID to its lesion area per class (the
    /// <see cref="HemorrhageClasses"/> order); <paramref name="thresholds"/> are the slice-level operating thresholds
    /// per class (null entries: none).
    /// </summary>
    /// <returns>The bands, and how many positive (slice, class) labels had no size.</returns>
    public static (IReadOnlyList<LesionSizeStratum> Strata, int PositivesWithoutSize) Compute(
        IReadOnlyList<EvaluationRow> slices, IReadOnlyDictionary<string, double[]> areasMm2, IReadOnlyList<double?> thresholds,
        EvaluationOptions options, CancellationToken cancellationToken = default)
    {
        if (areasMm2.FirstOrDefault(kv => kv.Value.Length != HemorrhageClasses.Count) is { Key: not null } bad)
            throw new ArgumentException($"slice {bad.Key}: {bad.Value.Length} lesion areas, expected one per class ({HemorrhageClasses.Count})", nameof(areasMm2));
        var strata = new List<LesionSizeStratum>();
        var withoutSize = 0;
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var negatives = slices.Where(r => !r.Labels[c]).ToList();
            withoutSize += slices.Count(r => r.Labels[c] && !(areasMm2.TryGetValue(r.ItemId, out var a) && a[c] > 0));
            for (var b = 0; b < DefaultEdgesMm2.Count; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (min, max) = (DefaultEdgesMm2[b], b + 1 < DefaultEdgesMm2.Count ? DefaultEdgesMm2[b + 1] : (double?)null);
                var positives = slices.Where(r => r.Labels[c] && areasMm2.TryGetValue(r.ItemId, out var a) && a[c] > 0 && a[c] >= min && (max is null || a[c] < max)).ToList();
                strata.Add(Stratum(HemorrhageClasses.Names[c], min, max, positives, negatives, c, thresholds[c], options, cancellationToken));
            }
        }
        return (strata, withoutSize);
    }

    private static LesionSizeStratum Stratum(string name, double min, double? max, List<EvaluationRow> positives, List<EvaluationRow> negatives,
        int c, double? threshold, EvaluationOptions options, CancellationToken cancellationToken)
    {
        if (positives.Count == 0 || negatives.Count == 0)
            return new LesionSizeStratum(name, min, max, positives.Count, negatives.Count, null, null, null);
        var rows = positives.Concat(negatives).ToList();
        var scores = rows.Select(r => r.Probabilities[c]).ToArray();
        var labels = rows.Select(r => r.Labels[c]).ToArray();
        var bootstrap = BootstrapAuc.Compute(scores, labels, rows.Select(r => r.ScanId).ToArray(), options.BootstrapResamples, options.BootstrapSeed, cancellationToken);
        var sensitivity = threshold is { } t ? positives.Count(r => r.Probabilities[c] >= t) / (double)positives.Count : (double?)null;
        return new LesionSizeStratum(name, min, max, positives.Count, negatives.Count, RocAuc.Compute(scores, labels), bootstrap, sensitivity);
    }
}
