using Ich.Core;

namespace Ich.Metrics.Evaluation;

/// <summary>One subtype's positives scored against one kind of its negatives.</summary>
/// <param name="NNegative">Negatives of that kind.</param>
/// <param name="Auc">Null without both positives and negatives of that kind.</param>
public sealed record NegativeGroupScore(int NNegative, double? Auc, BootstrapResult? Bootstrap);

/// <summary>
/// One subtype at one level: its positives against the items without any bleed (<paramref name="Clean"/>) and against
/// the items that bleed otherwise (<paramref name="OtherBleed"/>: any = 1, this subtype = 0).
/// </summary>
public sealed record NegativeSplitRow(string Level, string Class, int NPositive, NegativeGroupScore Clean, NegativeGroupScore OtherBleed);

/// <summary>
/// A subtype's AUC splits into two skills: finding blood at all (positives against clean items) and telling this bleed
/// from the others (positives against items that bleed otherwise). A pooled AUC mixes them in the proportion of the
/// set's negatives, so it cannot say which one a model lacks, or which stage of it loses which (with <c>--stages</c>).
/// </summary>
public static class NegativeSplit
{
    /// <summary>The five subtypes' rows of one level, in class order; the bootstrap resamples the rows' scans.</summary>
    public static IReadOnlyList<NegativeSplitRow> Compute(string level, IReadOnlyList<EvaluationRow> rows, EvaluationOptions options,
        CancellationToken cancellationToken = default)
    {
        var any = HemorrhageClasses.IndexOf("any");
        var result = new List<NegativeSplitRow>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            if (c == any) continue;
            cancellationToken.ThrowIfCancellationRequested();
            var positives = rows.Where(r => r.Labels[c]).ToList();
            NegativeGroupScore Against(Func<EvaluationRow, bool> isNegative)
            {
                var negatives = rows.Where(r => !r.Labels[c] && isNegative(r)).ToList();
                if (positives.Count == 0 || negatives.Count == 0) return new NegativeGroupScore(negatives.Count, null, null);
                var items = positives.Concat(negatives).ToList();
                var scores = items.Select(r => r.Probabilities[c]).ToArray();
                var labels = items.Select(r => r.Labels[c]).ToArray();
                return new NegativeGroupScore(negatives.Count, RocAuc.Compute(scores, labels),
                    BootstrapAuc.Compute(scores, labels, items.Select(r => r.ScanId).ToArray(), options.BootstrapResamples, options.BootstrapSeed, cancellationToken));
            }
            result.Add(new NegativeSplitRow(level, HemorrhageClasses.Names[c], positives.Count,
                Against(r => !r.Labels[any]), Against(r => r.Labels[any])));
        }
        return result;
    }
}
