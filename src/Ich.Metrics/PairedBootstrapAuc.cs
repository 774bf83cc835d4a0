namespace Ich.Metrics;

/// <summary>
/// Two scores of the same samples (e.g. a candidate model and the default on one test set) compared by AUC.
/// </summary>
/// <param name="AucBaseline">AUC of the baseline score on all samples.</param>
/// <param name="AucOther">AUC of the other score on all samples.</param>
/// <param name="Difference">AucOther − AucBaseline.</param>
/// <param name="Resamples">Replicates drawn.</param>
/// <param name="Valid">Replicates with both classes present (the others are left out).</param>
/// <param name="Ci95">2.5th–97.5th percentile of the valid replicates' differences, or null when none was valid.</param>
/// <param name="ShareOtherHigher">Share of valid replicates in which the other score's AUC is strictly higher.</param>
public sealed record PairedAucResult(double AucBaseline, double AucOther, double Difference, int Resamples, int Valid,
    ulong Seed, int Groups, Interval? Ci95, double ShareOtherHigher);

/// <summary>
/// Paired percentile bootstrap of an AUC difference: each replicate draws whole groups (scans or patients) with
/// replacement, as <see cref="BootstrapAuc"/> does with the same seed, and scores both scores on that one draw. Pairing
/// removes the between-sample variation the two scores share, so the interval of the difference is far narrower than
/// the two AUCs' own intervals suggest, and it answers the question a model comparison asks: how much of a difference
/// a different draw of the same kind of scans would keep.
/// </summary>
public static class PairedBootstrapAuc
{
    /// <param name="baseline">The reference score per sample (finite).</param>
    /// <param name="other">The compared score per sample (finite), same samples in the same order.</param>
    /// <param name="labels">Ground truth per sample.</param>
    /// <param name="groups">Cluster ID per sample (e.g. scan ID).</param>
    /// <returns>The comparison, or null when the AUC is undefined (a class absent).</returns>
    public static PairedAucResult? Compute(ReadOnlySpan<double> baseline, ReadOnlySpan<double> other, ReadOnlySpan<bool> labels,
        IReadOnlyList<string> groups, int resamples = BootstrapAuc.DefaultResamples, ulong seed = BootstrapAuc.DefaultSeed,
        CancellationToken cancellationToken = default)
    {
        BinaryInput.Check(baseline, labels);
        BinaryInput.Check(other, labels);
        ClusterResampling.CheckArguments(groups.Count, labels.Length, resamples);
        if (!RocAuc.IsDefined(labels)) return null;

        var (groupOfSample, g) = ClusterResampling.Number(groups);
        var sortedBaseline = ClusterResampling.Sort(baseline, labels, groupOfSample);
        var sortedOther = ClusterResampling.Sort(other, labels, groupOfSample);
        var valid = ClusterResampling.SortedFiniteReplicates(g, resamples, seed,
            weights => ClusterResampling.WeightedAuc(sortedOther, weights) - ClusterResampling.WeightedAuc(sortedBaseline, weights),
            cancellationToken);
        var ci = ClusterResampling.PercentileInterval(valid);
        var higher = valid.Length == 0 ? double.NaN : valid.Count(d => d > 0) / (double)valid.Length;
        var aucBaseline = RocAuc.Compute(baseline, labels);
        var aucOther = RocAuc.Compute(other, labels);
        return new PairedAucResult(aucBaseline, aucOther, aucOther - aucBaseline, resamples, valid.Length, seed, g, ci, higher);
    }

    /// <summary>
    /// The paired difference of a mean of AUCs over several classes of the same samples (e.g. the five subtypes): each
    /// replicate scores every class on one draw of the groups and averages the classes' differences. Only classes with
    /// positives and negatives in the full set take part (<see cref="PairedAucResult.AucBaseline"/> and
    /// <see cref="PairedAucResult.AucOther"/> are their mean AUCs); a replicate in which one of them lacks a positive or
    /// a negative is left out, like an undefined replicate of one class.
    /// </summary>
    /// <returns>The comparison and how many classes it averages, or null when no class is defined.</returns>
    public static (PairedAucResult Result, int Classes)? ComputeMean(IReadOnlyList<(double[] Baseline, double[] Other, bool[] Labels)> classes,
        IReadOnlyList<string> groups, int resamples = BootstrapAuc.DefaultResamples, ulong seed = BootstrapAuc.DefaultSeed,
        CancellationToken cancellationToken = default)
    {
        foreach (var c in classes)
        {
            BinaryInput.Check(c.Baseline, c.Labels);
            BinaryInput.Check(c.Other, c.Labels);
            ClusterResampling.CheckArguments(groups.Count, c.Labels.Length, resamples);
        }
        var defined = classes.Where(c => RocAuc.IsDefined(c.Labels)).ToList();
        if (defined.Count == 0) return null;

        var (groupOfSample, g) = ClusterResampling.Number(groups);
        var sorted = defined.Select(c => (Baseline: ClusterResampling.Sort(c.Baseline, c.Labels, groupOfSample),
            Other: ClusterResampling.Sort(c.Other, c.Labels, groupOfSample))).ToList();
        var valid = ClusterResampling.SortedFiniteReplicates(g, resamples, seed,
            weights => sorted.Average(s => ClusterResampling.WeightedAuc(s.Other, weights) - ClusterResampling.WeightedAuc(s.Baseline, weights)),
            cancellationToken);
        var ci = ClusterResampling.PercentileInterval(valid);
        var higher = valid.Length == 0 ? double.NaN : valid.Count(d => d > 0) / (double)valid.Length;
        var aucBaseline = defined.Average(c => RocAuc.Compute(c.Baseline, c.Labels));
        var aucOther = defined.Average(c => RocAuc.Compute(c.Other, c.Labels));
        return (new PairedAucResult(aucBaseline, aucOther, aucOther - aucBaseline, resamples, valid.Length, seed, g, ci, higher), defined.Count);
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{bool}, IReadOnlyList{string}, int, ulong, CancellationToken)"/>
    public static PairedAucResult? Compute(double[] baseline, double[] other, bool[] labels, IReadOnlyList<string> groups,
        int resamples = BootstrapAuc.DefaultResamples, ulong seed = BootstrapAuc.DefaultSeed) =>
        Compute(baseline.AsSpan(), other.AsSpan(), labels.AsSpan(), groups, resamples, seed);
}
