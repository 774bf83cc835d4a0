using Ich.Core.Scans;

namespace Ich.Viewer;

/// <summary>
/// Everything the study viewer shows for one scan. A plain input record so that the viewer depends on
/// no inference or report code: the caller (today <c>ich predict</c>) copies its results into it.
/// </summary>
public sealed record ViewerStudy
{
    /// <summary>The intended-use statement shown on top of every viewer.</summary>
    public const string DefaultDisclaimer = "Research and triage-support software, not a medical device and not for diagnosis.";

    /// <summary>Scan identifier shown in the summary (untrusted: escaped; long UIDs wrap).</summary>
    public required string ScanId { get; init; }

    /// <summary>Model name as in model.json.</summary>
    public required string ModelName { get; init; }

    /// <summary>Model version as in model.json.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Intended-use disclaimer; the default is the project's statement.</summary>
    public string Disclaimer { get; init; } = DefaultDisclaimer;

    /// <summary>How the flag thresholds were chosen (e.g. "95 % sensitivity on the validation folds"); null when unstated.</summary>
    public string? OperatingPoint { get; init; }

    /// <summary>
    /// Flag threshold per class in <see cref="Ich.Core.HemorrhageClasses"/> order (exactly 6 entries, each in
    /// [0, 1]); null for a class that has no flag: its probability is shown without a flag.
    /// </summary>
    public required IReadOnlyList<double?> FlagThresholds { get; init; }

    /// <summary>Class names (<see cref="Ich.Core.HemorrhageClasses.Names"/>) flagged for the whole scan at the operating point.</summary>
    public required IReadOnlyList<string> FlaggedClasses { get; init; }

    /// <summary>Image plane orientation (DICOM ImageOrientationPatient), shared by all slices; gives the R/L markers.</summary>
    public required PatientOrientation Orientation { get; init; }

    /// <summary>
    /// Whether the model has a segmentation head (model.json <c>decoders</c>). False for older model folders: the page
    /// then shows the predicted-mask control disabled, with that reason, and no slice may carry a
    /// <see cref="ViewerSlice.PredictedMask"/>.
    /// </summary>
    public bool HasSegmentationHead { get; init; }

    /// <summary>
    /// The slices, lowest first: list position = slice index (0 = lowest), z strictly ascending. All slices
    /// have the same rows × columns.
    /// </summary>
    public required IReadOnlyList<ViewerSlice> Slices { get; init; }
}

/// <summary>One slice of a <see cref="ViewerStudy"/>.</summary>
public sealed record ViewerSlice
{
    /// <summary>Slice identifier (SOP Instance UID or file name); shown in the slice line, escaped.</summary>
    public required string SliceId { get; init; }

    /// <summary>Position along the slice normal in mm (ImagePositionPatient · normal), ascending with the index.</summary>
    public required double ZMm { get; init; }

    /// <summary>HU pixels in the slice's own grid (row-major, air −1000), with the in-plane pixel spacing when known.
    /// Fractional HU are rounded to the nearest integer for display (CT stores integers).</summary>
    public required HuImage Hu { get; init; }

    /// <summary>The six class probabilities of this slice, in <see cref="Ich.Core.HemorrhageClasses"/> order, each in [0, 1].</summary>
    public required IReadOnlyList<double> Probabilities { get; init; }

    /// <summary>
    /// Optional Grad-CAM map per class (6 entries, null where absent), each Width × Height of <see cref="Hu"/>,
    /// on the ABSOLUTE scale 0..1 shared by every slice (not normalised per map). Null: no maps for this slice.
    /// </summary>
    public IReadOnlyList<float[]?>? Saliency { get; init; }

    /// <summary>
    /// Optional predicted mask of the segmentation head: blood probability per pixel, Width × Height of <see cref="Hu"/>,
    /// each in [0, 1]. The page draws the pixels above <see cref="Ich.Imaging.Overlays.PredictedMaskDisplay.Threshold"/>
    /// (the report's convention). Null: this slice has none (the predictor computes masks only for the slices it explains
    /// for flagged classes).
    /// </summary>
    public float[]? PredictedMask { get; init; }
}
