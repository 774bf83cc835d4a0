using Ich.Core;

namespace Ich.Metrics.Evaluation;

/// <summary>One class of a paired comparison; <see cref="Result"/> is null when the class lacks positives or negatives.</summary>
public sealed record PairedClass(string Name, int NPositive, int NNegative, PairedAucResult? Result);

/// <summary>One level of a paired comparison, over the items both files predicted.</summary>
public sealed record PairedLevel(string Level, int N, int Scans, IReadOnlyList<PairedClass> Classes)
{
    /// <summary>
    /// The mean of the subtypes' AUCs (those with positives and negatives here), paired the same way; null when no
    /// subtype is defined. One measure for a change meant for the subtypes, where five separate intervals would each be wide.
    /// </summary>
    public PairedAucResult? SubtypeMean { get; init; }

    /// <summary>How many subtypes <see cref="SubtypeMean"/> averages.</summary>
    public int SubtypesInMean { get; init; }
}

/// <summary>
/// A predictions file compared with a baseline file on the items both predicted (joined to the same labels).
/// </summary>
/// <param name="Common">Joined items (slices, or scans for scan-only labels) both files predicted.</param>
/// <param name="OnlyBaseline">Joined items only the baseline predicted (left out of the comparison).</param>
/// <param name="OnlyOther">Joined items only the other file predicted (left out).</param>
public sealed record PairedComparison(string Baseline, string Other, int Common, int OnlyBaseline, int OnlyOther, IReadOnlyList<PairedLevel> Levels);

/// <summary>
/// Paired AUC differences between two evaluations of one label set: per level and class, the other file's AUC minus the
/// baseline's with a paired cluster-bootstrap interval (<see cref="PairedBootstrapAuc"/>, the evaluation's resamples
/// and seed). Only items both files predicted count, and the scan level is rebuilt from those slices, so neither file
/// is scored on scans or slices the other never saw.
/// </summary>
public static class PairedComparisons
{
    public static PairedComparison Compute(EvaluationReport baseline, EvaluationReport other, CancellationToken cancellationToken = default)
    {
        if (baseline.Join.Unit != other.Join.Unit)
            throw new ArgumentException($"{baseline.Name} was joined per {baseline.Join.Unit}, {other.Name} per {other.Join.Unit}: they cannot be paired");
        static string Key(EvaluationRow r) => r.ScanId + "\u001f" + r.ItemId;
        var otherByKey = new Dictionary<string, EvaluationRow>(StringComparer.Ordinal);
        foreach (var r in other.JoinedRows) otherByKey[Key(r)] = r;
        var pairs = new List<(EvaluationRow Baseline, EvaluationRow Other)>();
        foreach (var r in baseline.JoinedRows)
            if (otherByKey.TryGetValue(Key(r), out var o)) pairs.Add((r, o));
        var onlyBaseline = baseline.JoinedRows.Count - pairs.Count;
        var onlyOther = other.JoinedRows.Count - pairs.Count;

        var levels = new List<PairedLevel>();
        if (pairs.Count > 0)
            foreach (var level in baseline.Levels.Select(l => l.Level).Intersect(other.Levels.Select(l => l.Level)))
            {
                var baselineRows = pairs.Select(p => p.Baseline).ToList();
                var otherRows = pairs.Select(p => p.Other).ToList();
                if (level == "scan" && baseline.Join.Unit == "slice")
                {
                    baselineRows = ScanAggregation.MaxOverSlices(baselineRows).ToList();
                    otherRows = ScanAggregation.MaxOverSlices(otherRows).ToList();
                }
                levels.Add(CompareLevel(level, baselineRows, otherRows, baseline.Options, cancellationToken));
            }
        return new PairedComparison(baseline.Name, other.Name, pairs.Count, onlyBaseline, onlyOther, levels);
    }

    private static PairedLevel CompareLevel(string level, IReadOnlyList<EvaluationRow> baseline, IReadOnlyList<EvaluationRow> other,
        EvaluationOptions options, CancellationToken cancellationToken)
    {
        var groups = baseline.Select(r => r.ScanId).ToArray();
        var classes = new List<PairedClass>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var labels = baseline.Select(r => r.Labels[c]).ToArray();
            var result = PairedBootstrapAuc.Compute(baseline.Select(r => r.Probabilities[c]).ToArray(), other.Select(r => r.Probabilities[c]).ToArray(),
                labels, groups, options.BootstrapResamples, options.BootstrapSeed, cancellationToken);
            classes.Add(new PairedClass(HemorrhageClasses.Names[c], labels.Count(y => y), labels.Count(y => !y), result));
        }
        var any = HemorrhageClasses.IndexOf("any");
        var subtypes = Enumerable.Range(0, HemorrhageClasses.Count).Where(c => c != any)
            .Select(c => (baseline.Select(r => r.Probabilities[c]).ToArray(), other.Select(r => r.Probabilities[c]).ToArray(), baseline.Select(r => r.Labels[c]).ToArray()))
            .ToList();
        var mean = PairedBootstrapAuc.ComputeMean(subtypes, groups, options.BootstrapResamples, options.BootstrapSeed, cancellationToken);
        return new PairedLevel(level, baseline.Count, groups.Distinct(StringComparer.Ordinal).Count(), classes)
        {
            SubtypeMean = mean?.Result,
            SubtypesInMean = mean?.Classes ?? 0,
        };
    }
}
