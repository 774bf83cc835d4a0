using System.Text.Json.Serialization;

namespace Ich.Training.Features;

/// <summary>
/// <c>meta.json</c> of a feature store folder (keys are a contract with the sequence stage).
/// </summary>
/// <param name="Backbone">CNN backbone name (e.g. <c>small</c>, <c>densenet121</c>).</param>
/// <param name="Dim">Feature vector length per row (the backbone's pooled feature size).</param>
/// <param name="Rows">Number of rows (slices).</param>
/// <param name="Kind"><c>oof</c> (out-of-fold predictions of the training slices) or <c>test</c> (fold-averaged, other datasets).</param>
/// <param name="Tta">Number of test-time-augmentation passes averaged per slice (1 = none).</param>
/// <param name="ImageSize">CNN input side in pixels.</param>
/// <param name="Folds">Number of cross-validation folds the models came from.</param>
public sealed record FeatureStoreMeta(
    [property: JsonPropertyName("backbone")] string Backbone,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("tta")] int Tta,
    [property: JsonPropertyName("imageSize")] int ImageSize,
    [property: JsonPropertyName("folds")] int Folds)
{
    public const string KindOof = "oof";
    public const string KindTest = "test";
}

/// <summary>One row of <c>index.csv</c>: which slice a feature/probability row belongs to.</summary>
/// <param name="Row">0-based row number in <c>features.f16</c> / <c>probs.f32</c>.</param>
/// <param name="Dataset">Adapter name of the scan's dataset.</param>
/// <param name="PatientId">Patient (cross-validation unit).</param>
/// <param name="ScanId">Scan ID, unique within the dataset.</param>
/// <param name="SliceId">Slice ID (SOPInstanceUID, slice number, ...).</param>
/// <param name="SliceIndex">0-based position of the slice in its scan, lowest first.</param>
/// <param name="ZMm">Slice position along the normal in mm (NaN when unknown; written empty).</param>
/// <param name="Fold">Validation fold whose model produced the row, or -1 for non-OOF rows.</param>
/// <param name="Labels">Six labels in <see cref="Ich.Core.HemorrhageClasses"/> order, or null when unknown.</param>
public sealed record FeatureRow(
    int Row,
    string Dataset,
    string PatientId,
    string ScanId,
    string SliceId,
    int SliceIndex,
    double ZMm,
    int Fold,
    float[]? Labels);

/// <summary>A scan's contiguous block of rows in a feature store.</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="PatientId">Patient.</param>
/// <param name="ScanId">Scan ID.</param>
/// <param name="FirstRow">Row of the scan's lowest slice.</param>
/// <param name="Count">Number of slices (rows), ordered by slice index.</param>
public sealed record FeatureScan(string Dataset, string PatientId, string ScanId, int FirstRow, int Count);
