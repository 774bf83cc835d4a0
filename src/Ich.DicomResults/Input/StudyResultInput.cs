using Ich.Core.Scans;

namespace Ich.DicomResults.Input;

/// <summary>One instance (slice) of the source series, as the result objects reference it.</summary>
/// <param name="SopClassUid">The slice's SOPClassUID (0008,0016), e.g. CT Image Storage.</param>
/// <param name="SopInstanceUid">The slice's SOPInstanceUID (0008,0018).</param>
/// <param name="InstanceNumber">InstanceNumber (0020,0013) when the source has one; shown in captions.</param>
/// <param name="ZMm">Position along the slice normal in mm (NaN when unknown); shown in captions.</param>
public sealed record SourceInstance(string SopClassUid, string SopInstanceUid, int? InstanceNumber, double ZMm);

/// <summary>The analysed series: its UID and its instances in slice order (index 0 = lowest slice).</summary>
public sealed record SourceSeries(string SeriesInstanceUid, IReadOnlyList<SourceInstance> Instances);

/// <summary>The algorithm that made the result (TID 4019 Algorithm Identification and the device observer).</summary>
/// <param name="Name">Model name, e.g. "ich default".</param>
/// <param name="Version">Model version, e.g. the model folder's version or hash.</param>
/// <param name="Parameters">Free-text parameters (operating points, ensemble), one TEXT item each; ASCII.</param>
/// <param name="Manufacturer">Device observer manufacturer; "ich".</param>
public sealed record AlgorithmInfo(string Name, string Version, IReadOnlyList<string> Parameters, string Manufacturer = "ich");

/// <summary>The scan-level result for one class.</summary>
/// <param name="ClassName">One of <see cref="Ich.Core.HemorrhageClasses.Names"/> (any, epidural, ...).</param>
/// <param name="Probability">Scan-level probability in [0, 1] (the value in scans.csv).</param>
/// <param name="Threshold">The operating point the present/absent decision used, in [0, 1]; null when the model has
/// none for this class (its probability is reported, no present/absent decision is made, <paramref name="Present"/> is false).</param>
/// <param name="Present">The decision at <paramref name="Threshold"/> (as the caller computed it).</param>
/// <param name="TopSliceIndices">Indices into <see cref="SourceSeries.Instances"/> of the slices where the
/// class is highest, best first (e.g. the top 3); may be empty.</param>
public sealed record ClassFinding(string ClassName, double Probability, double? Threshold, bool Present, IReadOnlyList<int> TopSliceIndices);

/// <summary>A slice picture for a Secondary Capture: its HU image and a saliency map.</summary>
/// <param name="SliceIndex">Index into <see cref="SourceSeries.Instances"/>.</param>
/// <param name="Hu">The slice in HU (shown in the brain window 40/80).</param>
/// <param name="Saliency">Row-major saliency on an absolute 0..1 scale (NOT normalised per slice), any size.</param>
/// <param name="SaliencyWidth">Width of <paramref name="Saliency"/>.</param>
/// <param name="SaliencyHeight">Height of <paramref name="Saliency"/>.</param>
/// <param name="Caption">Optional ASCII caption line, e.g. "any p=0.93"; null for none.</param>
public sealed record SliceImage(int SliceIndex, HuImage Hu, float[] Saliency, int SaliencyWidth, int SaliencyHeight, string? Caption = null);

/// <summary>Which Secondary Captures to write: the key slices only, or one per source slice.</summary>
public enum CaptureMode
{
    /// <summary>One capture per key slice (see <see cref="StudyResultInput.KeySliceIndices"/>).</summary>
    Keys,

    /// <summary>One capture per source slice, so a viewer can scroll the heat-map series in sync.</summary>
    Full,
}

/// <summary>
/// Everything the DICOM result writers need for one study, free of any model type: the source identity
/// and series, the algorithm, the six class findings and the slice pictures.
/// </summary>
public sealed record StudyResultInput
{
    /// <summary>Patient/study identity copied from a source instance (<see cref="SourceStudyIdentity.FromDataset"/>).</summary>
    public required SourceStudyIdentity Study { get; init; }

    /// <summary>The analysed series.</summary>
    public required SourceSeries Series { get; init; }

    public required AlgorithmInfo Algorithm { get; init; }

    /// <summary>Exactly one finding per class of <see cref="Ich.Core.HemorrhageClasses"/> (any order).</summary>
    public required IReadOnlyList<ClassFinding> Findings { get; init; }

    /// <summary>
    /// Pictures for the captures: at least one per key slice (<see cref="KeySliceIndices"/>); for
    /// <see cref="CaptureMode.Full"/> one per source slice. Extra pictures are ignored in Keys mode.
    /// </summary>
    public required IReadOnlyList<SliceImage> Slices { get; init; }

    /// <summary>The intended-use statement written as TEXT into the SR and the KOS description (ASCII).</summary>
    public string Disclaimer { get; init; } = DefaultDisclaimer;

    /// <summary>ContentDate/Time and creation time of every object; null = now (local time).</summary>
    public DateTime? CreatedAt { get; init; }

    /// <summary>Series numbers of the new series: SR = base + 1, KOS = base + 2, captures = base + 3.</summary>
    public int SeriesNumberBase { get; init; } = 900;

    /// <summary>The default intended-use statement.</summary>
    public const string DefaultDisclaimer =
        "Research software, NOT FOR DIAGNOSTIC USE. Results of an automated intracranial hemorrhage detector; " +
        "not cleared for clinical use. A qualified reader must review the images.";

    /// <summary>
    /// The key slices: the union of <see cref="ClassFinding.TopSliceIndices"/> of every class flagged present,
    /// ascending. Empty when no class is present (then no KOS is written and Keys mode writes no capture).
    /// </summary>
    public IReadOnlyList<int> KeySliceIndices() =>
        Findings.Where(f => f.Present).SelectMany(f => f.TopSliceIndices).Distinct().Order().ToArray();
}
