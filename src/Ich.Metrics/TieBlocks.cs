namespace Ich.Metrics;

/// <summary>
/// Samples sorted by score (ascending) and cut into blocks of equal score. Every rank-based metric
/// here (AUC, DeLong components, the weighted bootstrap AUC, ROC points) walks these blocks, so ties
/// are handled once and the same way everywhere: a tie between a positive and a negative counts ½.
/// </summary>
internal sealed class TieBlocks
{
    private TieBlocks(int[] order, int[] starts, double[] values, int[] positives, int[] negatives)
    {
        Order = order;
        Starts = starts;
        Values = values;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>Sample indices in ascending score order.</summary>
    public int[] Order { get; }

    /// <summary>Start of each block in <see cref="Order"/>, plus a final sentinel (= sample count).</summary>
    public int[] Starts { get; }

    /// <summary>Score of each block.</summary>
    public double[] Values { get; }

    public int[] Positives { get; }
    public int[] Negatives { get; }
    public int Count => Values.Length;

    public static TieBlocks Build(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var n = scores.Length;
        var order = new int[n];
        var keys = scores.ToArray();
        for (var i = 0; i < n; i++) order[i] = i;
        Array.Sort(keys, order);
        var starts = new List<int>();
        var values = new List<double>();
        var pos = new List<int>();
        var neg = new List<int>();
        for (var i = 0; i < n;)
        {
            var j = i;
            int p = 0, q = 0;
            while (j < n && keys[j] == keys[i])
            {
                if (labels[order[j]]) p++; else q++;
                j++;
            }
            starts.Add(i);
            values.Add(keys[i]);
            pos.Add(p);
            neg.Add(q);
            i = j;
        }
        starts.Add(n);
        return new TieBlocks(order, starts.ToArray(), values.ToArray(), pos.ToArray(), neg.ToArray());
    }
}
