namespace Ich.Training.Cnn;

/// <summary>
/// The training items of one epoch (indices into a <see cref="SliceTable"/>), a pure function of
/// (seed, fold, epoch), so an interrupted run resumes on exactly the same order.
/// </summary>
public static class EpochSampler
{
    public static int[] Order(SliceTable table, IReadOnlyList<int> trainScans, SamplingConfig config, long seed, int fold, int epoch)
    {
        var rng = new Random(Seeds.Derive(seed, fold, epoch, 0x5A3));
        var slices = trainScans.SelectMany(s => Enumerable.Range(table.ScanStarts[s], table.Scans[s].Slices.Count)).ToArray();
        int[] order;
        switch (config.Kind)
        {
            case "uniform":
                order = (int[])slices.Clone();
                rng.Shuffle(order);
                break;
            case "positive-oversample":
            {
                var weights = slices.Select(i => table.IsPositive(i) ? config.PositiveWeight : 1.0).ToArray();
                DatasetSharePlan.Apply(config.DatasetShares, weights, k => table.Scans[table.Slices[slices[k]].Scan].Dataset);
                order = Draw(rng, slices, weights, slices.Length);
                break;
            }
            case "study-triangular":
            {
                var n = trainScans.Count * config.StudyMultiplier;
                order = new int[n];
                for (var k = 0; k < n; k++)
                {
                    var scan = trainScans[rng.Next(trainScans.Count)];
                    var count = table.Scans[scan].Slices.Count;
                    order[k] = table.ScanStarts[scan] + TriangularSlice(rng, count);
                }
                break;
            }
            default: throw new ArgumentException($"unknown sampling kind '{config.Kind}'");
        }
        return config.MaxPerEpoch is { } max && max < order.Length ? order[..max] : order;
    }

    /// <summary>
    /// The winning code's slice weights: max(1, ⌊i/4⌋) for i ≤ n/2, else ⌊(n−i)/4⌋, over n−1 slices (central
    /// slices favoured). Zero weights at the top end are raised to 1 so short scans stay sampleable.
    /// </summary>
    public static int TriangularSlice(Random rng, int count)
    {
        if (count <= 2) return rng.Next(count);
        var weights = new double[count - 1];
        for (var i = 0; i < weights.Length; i++) weights[i] = Math.Max(1, i <= count / 2 ? i / 4 : (count - i) / 4);
        return Draw(rng, Enumerable.Range(0, weights.Length).ToArray(), weights, 1)[0];
    }

    private static int[] Draw(Random rng, int[] items, double[] weights, int n)
    {
        var cumulative = new double[weights.Length];
        var acc = 0.0;
        for (var i = 0; i < weights.Length; i++) cumulative[i] = acc += weights[i];
        var result = new int[n];
        for (var k = 0; k < n; k++)
        {
            var u = rng.NextDouble() * acc;
            var j = Array.BinarySearch(cumulative, u);
            if (j < 0) j = ~j;
            result[k] = items[Math.Min(j, items.Length - 1)];
        }
        return result;
    }
}
