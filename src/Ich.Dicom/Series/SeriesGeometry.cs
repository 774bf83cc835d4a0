namespace Ich.Dicom.Series;

/// <summary>
/// The ordered slices of one series and what their positions say: spacing, thickness, tilt, gaps.
/// Built by <see cref="SeriesGeometryBuilder"/>; all lengths in mm, angles in degrees.
/// </summary>
public sealed record SeriesGeometry
{
    /// <summary>Kept slices, lowest first (ascending position along <see cref="Orientation"/>'s normal).</summary>
    public required IReadOnlyList<OrderedSlice> Slices { get; init; }

    /// <summary>The series' (main) slice orientation; null when no slice had a usable one.</summary>
    public SliceOrientation? Orientation { get; init; }

    /// <summary>Median step between neighbouring slices along the normal; null with fewer than 2 slices.</summary>
    public double? SpacingMm { get; init; }

    /// <summary>Smallest and largest step (equal to <see cref="SpacingMm"/> for uniform series).</summary>
    public double? MinStepMm { get; init; }
    public double? MaxStepMm { get; init; }

    /// <summary>Median distance between consecutive ImagePositionPatient points (the table increment; larger than the spacing under gantry tilt).</summary>
    public double? TableIncrementMm { get; init; }

    /// <summary>Slice thickness: the most common SliceThickness tag value (ties → thinner), else <see cref="SpacingMm"/> (see <see cref="ThicknessSource"/>).</summary>
    public double? ThicknessMm { get; init; }

    /// <summary>"tag", "spacing" or null when neither is known.</summary>
    public string? ThicknessSource { get; init; }

    /// <summary>
    /// Gantry tilt as the geometry shows it: the angle between the slice normal and the line through the
    /// slice positions (0 for an untilted stack even if the slices are oblique). Null with fewer than 2 slices.
    /// </summary>
    public double? TiltDeg { get; init; }

    /// <summary>Angle between the slice normal and the patient's feet–head axis (0 = axial).</summary>
    public double? ObliquityDeg => Orientation?.ObliquityDeg;

    /// <summary>GantryDetectorTilt tag of the first slice, when present (informative).</summary>
    public double? GantryTiltTagDeg { get; init; }

    /// <summary>Extent covered along the normal: last − first position + thickness; 0 without slices.</summary>
    public double CoverageMm { get; init; }

    public IReadOnlyList<SliceGap> Gaps { get; init; } = [];
    public IReadOnlyList<SeriesProblem> Problems { get; init; } = [];

    /// <summary>Files of the series not kept (duplicates, other orientation/size, no geometry), with reasons.</summary>
    public IReadOnlyList<ExcludedFile> Excluded { get; init; } = [];
}
