namespace Ich.Training.Features;

/// <summary>File names and column order of the feature store contract (see docs/training.md).</summary>
public static class FeatureStoreFiles
{
    public const string Index = "index.csv";
    public const string Features = "features.f16";
    public const string Probs = "probs.f32";
    public const string Meta = "meta.json";

    /// <summary>Columns of <c>index.csv</c>, in order.</summary>
    public static readonly IReadOnlyList<string> IndexColumns =
    [
        "row", "dataset", "patient_id", "scan_id", "slice_id", "slice_index", "z_mm", "fold",
        "any", "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural",
    ];
}
