namespace Ich.Metrics;

/// <summary>
/// The cluster bootstrap shared by <see cref="BootstrapAuc"/> and <see cref="PairedBootstrapAuc"/>: groups numbered in
/// ordinal order of their IDs, and replicate b drawing its G group indices from SplitMix64 outputs b·G+1 … b·G+G. One
/// rule, so a paired comparison resamples exactly the scans that each file's own interval resampled.
/// </summary>
internal static class ClusterResampling
{
    /// <summary>Throws for a group list that does not match the samples or a resample count below one.</summary>
    public static void CheckArguments(int groups, int samples, int resamples)
    {
        if (groups != samples)
            throw new ArgumentException($"groups ({groups}) and scores ({samples}) differ in length");
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "need at least one resample");
    }

    /// <summary>Each sample's group number (groups in ordinal order of their IDs) and the number of groups.</summary>
    public static (int[] GroupOf, int Groups) Number(IReadOnlyList<string> groups)
    {
        var ids = groups.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var g = 0; g < ids.Length; g++) index[ids[g]] = g;
        return (groups.Select(g => index[g]).ToArray(), ids.Length);
    }

    /// <summary>Fills <paramref name="weights"/> (length G) with how often replicate <paramref name="replicate"/> draws each group.</summary>
    public static void Draw(ulong seed, int replicate, long[] weights)
    {
        Array.Clear(weights);
        var g = weights.Length;
        for (var i = 0; i < g; i++)
            weights[SplitMix64.ToIndex(SplitMix64.At(seed, (ulong)replicate * (ulong)g + (ulong)i + 1), g)]++;
    }

    /// <summary>
    /// Runs <paramref name="resamples"/> replicates in parallel, each scored by <paramref name="score"/> on its group
    /// weights, and returns the finite values sorted (replicates without both classes give NaN and are left out).
    /// </summary>
    public static double[] SortedFiniteReplicates(int groups, int resamples, ulong seed, Func<long[], double> score,
        CancellationToken cancellationToken)
    {
        var values = new double[resamples];
        Parallel.For(0, resamples,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new long[groups],
            (b, _, weights) =>
            {
                Draw(seed, b, weights);
                values[b] = score(weights);
                return weights;
            },
            _ => { });
        var valid = values.Where(double.IsFinite).ToArray();
        Array.Sort(valid);
        return valid;
    }

    /// <summary>The 2.5th–97.5th percentile interval of sorted replicate values, or null when there are none.</summary>
    public static Interval? PercentileInterval(double[] sorted) =>
        sorted.Length == 0 ? null : new Interval(Percentile.OfSorted(sorted, 0.025), Percentile.OfSorted(sorted, 0.975));

    /// <summary>A score's tie blocks with each sorted sample's group and label, ready for weighted AUCs.</summary>
    public sealed record SortedSamples(TieBlocks Blocks, int[] GroupOf, bool[] Positive);

    public static SortedSamples Sort(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, int[] groupOfSample)
    {
        var blocks = TieBlocks.Build(scores, labels);
        var n = scores.Length;
        var groupOf = new int[n];
        var positive = new bool[n];
        for (var k = 0; k < n; k++)
        {
            var i = blocks.Order[k];
            groupOf[k] = groupOfSample[i];
            positive[k] = labels[i];
        }
        return new SortedSamples(blocks, groupOf, positive);
    }

    /// <summary>Mann–Whitney AUC where each sample counts as many times as its group was drawn; NaN if a class is absent.</summary>
    public static double WeightedAuc(SortedSamples s, long[] weights)
    {
        double wins = 0, negativesBelow = 0, totalPositive = 0;
        for (var b = 0; b < s.Blocks.Count; b++)
        {
            double p = 0, q = 0;
            for (var k = s.Blocks.Starts[b]; k < s.Blocks.Starts[b + 1]; k++)
            {
                var w = weights[s.GroupOf[k]];
                if (s.Positive[k]) p += w; else q += w;
            }
            wins += p * (negativesBelow + 0.5 * q);
            negativesBelow += q;
            totalPositive += p;
        }
        return totalPositive == 0 || negativesBelow == 0 ? double.NaN : wins / (totalPositive * negativesBelow);
    }
}
