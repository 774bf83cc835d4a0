using Ich.Core.Errors;

namespace Ich.Training.Cnn;

/// <summary>
/// <see cref="SamplingConfig.DatasetShares"/> applied to one epoch's draw weights: a listed dataset's slices are scaled so
/// their weights add up to its share of the total; the datasets not listed keep their relative weights and share the rest.
/// </summary>
public static class DatasetSharePlan
{
    /// <summary>
    /// The shares against the datasets actually there (<paramref name="where"/> names them in the error): every listed
    /// dataset must be present, and the shares must leave something for the unlisted ones exactly when there are some —
    /// otherwise a dataset would be silently never drawn, or the shares silently rescaled.
    /// </summary>
    public static void Check(IReadOnlyDictionary<string, double> shares, IReadOnlySet<string> present, string where, string? path = null)
    {
        if (shares.Count == 0) return;
        var listing = string.Join(", ", present.Order(StringComparer.Ordinal));
        if (shares.Keys.FirstOrDefault(k => !present.Contains(k)) is { } missing)
            throw new ConfigException($"sampling.datasetShares names '{missing}', which is not among {where} ({listing})", path);
        var sum = shares.Values.Sum();
        var unlisted = present.Where(d => !shares.ContainsKey(d)).Order(StringComparer.Ordinal).ToList();
        if (unlisted.Count > 0 && sum >= 1 - 1e-9)
            throw new ConfigException($"sampling.datasetShares add up to 1 and leave nothing for {string.Join(", ", unlisted)}; list them or lower a share", path);
        if (unlisted.Count == 0 && Math.Abs(sum - 1) > 1e-9)
            throw new ConfigException($"sampling.datasetShares list every dataset of {where} but add up to {sum.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}, not 1", path);
    }

    /// <summary>
    /// Rescales <paramref name="weights"/> (one per item, item k of dataset <paramref name="datasetOf"/>(k)) in place so each
    /// listed dataset's weights sum to its share of the total and the unlisted ones to the rest, in proportion.
    /// </summary>
    public static void Apply(IReadOnlyDictionary<string, double> shares, double[] weights, Func<int, string> datasetOf)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (shares.Count == 0) return;
        var datasets = new string[weights.Length];
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var k = 0; k < weights.Length; k++)
        {
            datasets[k] = datasetOf(k);
            totals[datasets[k]] = totals.GetValueOrDefault(datasets[k]) + weights[k];
        }
        Check(shares, totals.Keys.ToHashSet(StringComparer.Ordinal), "this fold's training scans");
        var rest = 1 - shares.Values.Sum();
        var unlistedTotal = totals.Where(kv => !shares.ContainsKey(kv.Key)).Sum(kv => kv.Value);
        for (var k = 0; k < weights.Length; k++)
            weights[k] *= shares.TryGetValue(datasets[k], out var share) ? share / totals[datasets[k]] : rest / unlistedTotal;
    }
}
