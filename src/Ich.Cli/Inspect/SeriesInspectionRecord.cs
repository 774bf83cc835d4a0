using Ich.Dicom.Series;

namespace Ich.Cli.Inspect;

/// <summary>
/// One line of <c>ich inspect --series --json</c>: one object per series. The camelCase keys are a contract
/// (studyInstanceUid, seriesInstanceUid, selected, reason, sopInstanceUids, spacingMm, thicknessMm,
/// tiltDeg, gaps, problems and the others below); lengths in mm, angles in degrees, null when unknown.
/// </summary>
public sealed record SeriesInspectionRecord
{
    public required string StudyInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    public string? PatientId { get; init; }
    public string? Modality { get; init; }
    public int? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? ConvolutionKernel { get; init; }
    /// <summary>Readable files carrying the series' UIDs.</summary>
    public int FileCount { get; init; }
    /// <summary>Slices kept after exclusions (= sopInstanceUids.Count).</summary>
    public int SliceCount { get; init; }
    public bool Selected { get; init; }
    public bool Eligible { get; init; }
    /// <summary>Why the series was chosen, not chosen, or is not eligible.</summary>
    public required string Reason { get; init; }
    /// <summary>SOPInstanceUIDs in slice order, lowest first.</summary>
    public required IReadOnlyList<string> SopInstanceUids { get; init; }
    /// <summary>Positions along the slice normal, same order as <see cref="SopInstanceUids"/>.</summary>
    public required IReadOnlyList<double> PositionsMm { get; init; }
    /// <summary>Median step between neighbouring slices along the normal.</summary>
    public double? SpacingMm { get; init; }
    public double? MinStepMm { get; init; }
    public double? MaxStepMm { get; init; }
    /// <summary>Median distance between consecutive ImagePositionPatient points.</summary>
    public double? TableIncrementMm { get; init; }
    public double? ThicknessMm { get; init; }
    /// <summary>"tag" or "spacing".</summary>
    public string? ThicknessSource { get; init; }
    /// <summary>Angle between slice normal and the line through the slice positions (gantry tilt).</summary>
    public double? TiltDeg { get; init; }
    /// <summary>Angle between slice normal and the head–feet axis.</summary>
    public double? ObliquityDeg { get; init; }
    public double? GantryTiltTagDeg { get; init; }
    public double CoverageMm { get; init; }
    public required IReadOnlyList<SliceGap> Gaps { get; init; }
    public required IReadOnlyList<SeriesProblem> Problems { get; init; }
    public required IReadOnlyList<ExcludedFile> Excluded { get; init; }
    /// <summary>The montage written with --png for the selected series, else null.</summary>
    public string? MontagePng { get; init; }

    public static SeriesInspectionRecord From(SeriesReport s, string? montagePng) => new()
    {
        StudyInstanceUid = s.StudyInstanceUid,
        SeriesInstanceUid = s.SeriesInstanceUid,
        PatientId = s.PatientId,
        Modality = s.Modality,
        SeriesNumber = s.SeriesNumber,
        SeriesDescription = s.SeriesDescription,
        ConvolutionKernel = s.ConvolutionKernel,
        FileCount = s.FileCount,
        SliceCount = s.Slices.Count,
        Selected = s.Selected,
        Eligible = s.Eligible,
        Reason = s.Reason,
        SopInstanceUids = s.Slices.Select(x => x.SopInstanceUid).ToList(),
        PositionsMm = s.Slices.Select(x => Math.Round(x.PositionMm, 6)).ToList(),
        SpacingMm = Round(s.Geometry.SpacingMm),
        MinStepMm = Round(s.Geometry.MinStepMm),
        MaxStepMm = Round(s.Geometry.MaxStepMm),
        TableIncrementMm = Round(s.Geometry.TableIncrementMm),
        ThicknessMm = Round(s.Geometry.ThicknessMm),
        ThicknessSource = s.Geometry.ThicknessSource,
        TiltDeg = Round(s.Geometry.TiltDeg),
        ObliquityDeg = Round(s.Geometry.ObliquityDeg),
        GantryTiltTagDeg = s.Geometry.GantryTiltTagDeg,
        CoverageMm = Math.Round(s.Geometry.CoverageMm, 6),
        Gaps = s.Geometry.Gaps,
        Problems = s.Problems,
        Excluded = s.Excluded,
        MontagePng = montagePng,
    };

    private static double? Round(double? v) => v is { } x ? Math.Round(x, 6) : null;
}
