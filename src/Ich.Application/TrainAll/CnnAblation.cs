using Ich.Core;
using Ich.Core.Errors;
using Ich.Metrics.Evaluation;
using Ich.Training.Cnn;
using Ich.Training.Features;

namespace Ich.Application.TrainAll;

/// <summary>
/// One CNN ablation: a backbone run of <c>cnn</c> retrained with one lever switched off, so the model card can show
/// what the lever is worth. Only the CNN stage is retrained; the comparison is the CNN's out-of-fold slice scores.
/// </summary>
/// <param name="Of">The <c>cnn</c> run it varies (same data, folds, seed and schedule).</param>
/// <param name="MaskLoss">Replaces <c>maskLoss</c> (0 = no segmentation decoder, no dense supervision).</param>
/// <param name="InsertBleedsProbability">Replaces <c>insertBleeds.probability</c> (0 = no inserted bleeds at all).</param>
/// <param name="InsertBleedsHostDatasets">Replaces <c>insertBleeds.hostDatasets</c> (e.g. <c>["phantom"]</c>: no inserted bleeds in real anatomy).</param>
/// <param name="TrainFolds">
/// Train only the first N folds of the base run's split (<c>trainFolds</c> of the CNN config; not a lever): the card then
/// compares every run of the group on those folds' validation patients only, the base run's rows included.
/// </param>
/// <param name="Epochs">
/// Train this many epochs instead of the base run's (the schedule shrinks with them; not a lever): ablations at a shorter
/// schedule cost a fraction of the time. A run's ablations then all set the same epochs, and one of them changes no lever
/// (<see cref="IsReference"/>): the base recipe retrained at that schedule, which the card compares the others with.
/// </param>
public sealed record CnnAblationConfig(string Of, double? MaskLoss = null, double? InsertBleedsProbability = null, IReadOnlyList<string>? InsertBleedsHostDatasets = null,
    int? TrainFolds = null, int? Epochs = null)
{
    /// <summary>The varied CNN config; null overrides keep the base value.</summary>
    public CnnTrainConfig Apply(CnnTrainConfig baseline) => baseline with
    {
        TrainFolds = TrainFolds ?? baseline.TrainFolds,
        Epochs = Epochs ?? baseline.Epochs,
        MaskLoss = MaskLoss ?? baseline.MaskLoss,
        InsertBleeds = baseline.InsertBleeds with
        {
            Probability = InsertBleedsProbability ?? baseline.InsertBleeds.Probability,
            HostDatasets = InsertBleedsHostDatasets ?? baseline.InsertBleeds.HostDatasets,
        },
    };

    /// <summary>The levers it changes from the base run, in words for the card (the schedule, common to its group, is not one).</summary>
    public string Describe(CnnTrainConfig baseline)
    {
        var parts = new List<string>();
        // Invariant culture: the card must read the same on every machine.
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (MaskLoss is { } m) parts.Add(string.Create(inv, $"maskLoss {baseline.MaskLoss:0.###} → {m:0.###}"));
        if (InsertBleedsProbability is { } p) parts.Add(string.Create(inv, $"insertBleeds.probability {baseline.InsertBleeds.Probability:0.###} → {p:0.###}"));
        if (InsertBleedsHostDatasets is { } h) parts.Add($"insertBleeds.hostDatasets {Hosts(baseline.InsertBleeds.HostDatasets)} → {Hosts(h)}");
        return parts.Count == 0 ? "no lever changed" : string.Join(", ", parts);
    }

    private static string Hosts(IReadOnlyList<string> datasets) => datasets.Count == 0 ? "all" : string.Join("+", datasets);

    /// <summary>True when the ablation switches no lever (it may still change the schedule).</summary>
    public bool ChangesNoLever => MaskLoss is null && InsertBleedsProbability is null && InsertBleedsHostDatasets is null;

    /// <summary>True when the ablation overrides nothing that changes training.</summary>
    public bool ChangesNothing => ChangesNoLever && Epochs is null;

    /// <summary>The base recipe retrained at a shorter schedule, no lever changed: what its group's variants are compared with.</summary>
    public bool IsReference => ChangesNoLever && Epochs is not null;
}

/// <summary>Out-of-fold slice-level scores of a finished CNN run, per dataset, from its OOF feature store.</summary>
public static class CnnOofScores
{
    /// <summary>Whether a CNN run has finished: its out-of-fold store is written last, so its meta file marks the end.</summary>
    public static bool IsComplete(string cnnRunFolder) => File.Exists(Path.Combine(cnnRunFolder, "features", "oof", FeatureStoreFiles.Meta));

    /// <summary>
    /// Dataset → slice-level metrics (AUC per class with scan-bootstrap CIs, weighted log-loss) of the CNN's OOF probabilities,
    /// over the validation patients of folds 0 .. <paramref name="folds"/> − 1 (null = every fold).
    /// </summary>
    public static IReadOnlyDictionary<string, LevelMetrics> PerDataset(string cnnRunFolder, int? folds = null)
    {
        var oof = Path.Combine(cnnRunFolder, "features", "oof");
        if (!IsComplete(cnnRunFolder)) throw new ConfigException("the CNN run has no complete out-of-fold store", cnnRunFolder);
        var store = FeatureStore.Open(oof);
        var probs = store.ReadProbs(0, store.Rows.Count);
        var rows = store.Rows.Where(r => r.Labels is not null && (folds is null || r.Fold < folds)).Select(r => (r.Dataset, Row: new EvaluationRow(r.Dataset + "/" + r.ScanId, r.SliceId,
            Enumerable.Range(0, HemorrhageClasses.Count).Select(c => (double)probs[r.Row * HemorrhageClasses.Count + c]).ToArray(),
            r.Labels!.Select(v => v >= 0.5f).ToArray())));
        return rows.GroupBy(r => r.Dataset, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Evaluator.EvaluateLevel("slice", g.Select(x => x.Row).ToList(), new EvaluationOptions()));
    }
}
