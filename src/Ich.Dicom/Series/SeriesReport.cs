namespace Ich.Dicom.Series;

/// <summary>One series of a study: identity, ordered geometry, problems, and the selection decision.</summary>
public sealed record SeriesReport
{
    public required string StudyInstanceUid { get; init; }
    public required string SeriesInstanceUid { get; init; }
    /// <summary>PatientID of the series' first file (null when absent).</summary>
    public string? PatientId { get; init; }
    public string? Modality { get; init; }
    public int? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? ConvolutionKernel { get; init; }

    /// <summary>Number of readable files that carry this series' UIDs (before any exclusion).</summary>
    public int FileCount { get; init; }

    /// <summary>Ordered slices and measurements (empty for series that are not CT images).</summary>
    public required SeriesGeometry Geometry { get; init; }

    /// <summary>Geometry problems plus series-level ones (not CT, localizer, single slice, ...).</summary>
    public IReadOnlyList<SeriesProblem> Problems { get; init; } = [];

    /// <summary>Files of the series not used, with reasons (localizers, duplicates, other orientation, ...).</summary>
    public IReadOnlyList<ExcludedFile> Excluded { get; init; } = [];

    /// <summary>True when the series may be chosen as the study's scan (see <see cref="IneligibleReason"/>).</summary>
    public bool Eligible { get; init; }

    /// <summary>Why the series cannot be chosen; null when <see cref="Eligible"/>.</summary>
    public string? IneligibleReason { get; init; }

    /// <summary>True for the one series chosen in its study.</summary>
    public bool Selected { get; init; }

    /// <summary>Why this series was or was not selected, for reports.</summary>
    public string Reason { get; init; } = "";

    public IReadOnlyList<OrderedSlice> Slices => Geometry.Slices;
}

/// <summary>One study (StudyInstanceUID) with all its series and the chosen one.</summary>
public sealed record StudyReport
{
    public required string StudyInstanceUid { get; init; }
    public string? PatientId { get; init; }
    /// <summary>Series ordered by SeriesNumber, then SeriesInstanceUID.</summary>
    public required IReadOnlyList<SeriesReport> Series { get; init; }
    /// <summary>The chosen series, or null when no series is eligible.</summary>
    public SeriesReport? SelectedSeries => Series.FirstOrDefault(s => s.Selected);
    /// <summary>Why the chosen series won, or why none could be chosen.</summary>
    public required string SelectionReason { get; init; }
}

/// <summary>The result of <see cref="SeriesAssembler"/>: studies, plus every file that could not be listed and why.</summary>
public sealed record SeriesAssembly
{
    /// <summary>Studies ordered by StudyInstanceUID.</summary>
    public required IReadOnlyList<StudyReport> Studies { get; init; }
    /// <summary>Files that could not be read or placed in a series (not DICOM, corrupt header, no UIDs), with reasons.</summary>
    public IReadOnlyList<ExcludedFile> UnlistedFiles { get; init; } = [];
    /// <summary>How many files were offered.</summary>
    public int FileCount { get; init; }
    public required SeriesSelectionRules Rules { get; init; }

    public IEnumerable<SeriesReport> AllSeries => Studies.SelectMany(s => s.Series);
}
