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
        if (groups.Count != scores.Length)
            throw new ArgumentException($"groups ({groups.Count}) and scores ({scores.Length}) differ in length");
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "need at least one resample");
        if (!RocAuc.IsDefined(labels)) return null;

        var ids = groups.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < ids.Length; g++) index[ids[g]] = g;
        var blocks = TieBlocks.Build(scores, labels);
        var n = scores.Length;
        // Group and label of each sample, in the blocks' (sorted) order.
        var groupOf = new int[n];
        var positive = new bool[n];
        for (var k = 0; k < n; k++)
        {
            var i = blocks.Order[k];
            groupOf[k] = index[groups[i]];
            positive[k] = labels[i];
        }

        var G = ids.Length;
        var aucs = new double[resamples];
        Parallel.For(0, resamples,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new long[G],
            (b, _, weights) =>
            {
                Array.Clear(weights);
                for (var i = 0; i < G; i++)
                    weights[SplitMix64.ToIndex(SplitMix64.At(seed, (ulong)b * (ulong)G + (ulong)i + 1), G)]++;
                aucs[b] = WeightedAuc(blocks, groupOf, positive, weights);
                return weights;
            },
            _ => { });

        var valid = aucs.Where(double.IsFinite).ToArray();
        Array.Sort(valid);
        Interval? ci = valid.Length == 0 ? null
            : new Interval(Percentile.OfSorted(valid, 0.025), Percentile.OfSorted(valid, 0.975));
        return new BootstrapResult(resamples, valid.Length, seed, G, ci);
    }

    /// <summary>Mann–Whitney AUC where each sample counts as many times as its group was drawn; NaN if a class is absent.</summary>
    private static double WeightedAuc(TieBlocks blocks, int[] groupOf, bool[] positive, long[] weights)
    {
        double wins = 0, negativesBelow = 0, totalPositive = 0;
        for (var b = 0; b < blocks.Count; b++)
        {
            double p = 0, q = 0;
            for (var k = blocks.Starts[b]; k < blocks.Starts[b + 1]; k++)
            {
                var w = weights[groupOf[k]];
                if (positive[k]) p += w; else q += w;
            }
            wins += p * (negativesBelow + 0.5 * q);
            negativesBelow += q;
            totalPositive += p;
        }
        return totalPositive == 0 || negativesBelow == 0 ? double.NaN : wins / (totalPositive * negativesBelow);
    }
}
