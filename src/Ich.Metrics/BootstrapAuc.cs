namespace Ich.Metrics;

/// <summary>Result of a cluster bootstrap of the AUC.</summary>
/// <param name="Resamples">Replicates drawn.</param>
/// <param name="Valid">Replicates with both classes present (the others have no AUC and are left out).</param>
/// <param name="Ci95">2.5th–97.5th percentile of the valid replicate AUCs, or null when none was valid.</param>
public sealed record BootstrapResult(int Resamples, int Valid, ulong Seed, int Groups, Interval? Ci95);

/// <summary>
/// Percentile bootstrap CI of the AUC, resampling whole groups (scans or patients) with replacement,
/// because slices of one scan are not independent. Replicate b draws its G group indices from
/// SplitMix64 outputs b·G+1 … b·G+G (groups in ordinal order of their IDs), so results are
/// reproducible across runs, thread counts and the reference script.
/// </summary>
public static class BootstrapAuc
{
    public const int DefaultResamples = 2000;
    public const ulong DefaultSeed = 20211;

    /// <param name="scores">One finite score per sample.</param>
    /// <param name="labels">Ground truth per sample.</param>
    /// <param name="groups">Cluster ID per sample (e.g. scan ID); pass the sample index as a string to resample samples.</param>
    /// <param name="resamples">Number of replicates (default 2,000).</param>
    /// <param name="seed">SplitMix64 seed.</param>
    /// <returns>The interval, or null when the AUC itself is undefined (a class absent).</returns>
    public static BootstrapResult? Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels,
        IReadOnlyList<string> groups, int resamples = DefaultResamples, ulong seed = DefaultSeed,
        CancellationToken cancellationToken = default)
    {
        BinaryInput.Check(scores, labels);
        ClusterResampling.CheckArguments(groups.Count, scores.Length, resamples);
        if (!RocAuc.IsDefined(labels)) return null;

        var (groupOfSample, G) = ClusterResampling.Number(groups);
        var sorted = ClusterResampling.Sort(scores, labels, groupOfSample);
        var valid = ClusterResampling.SortedFiniteReplicates(G, resamples, seed, weights => ClusterResampling.WeightedAuc(sorted, weights),
            cancellationToken);
        var ci = ClusterResampling.PercentileInterval(valid);
        return new BootstrapResult(resamples, valid.Length, seed, G, ci);
    }
}
