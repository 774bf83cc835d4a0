namespace Ich.Dicom.Series;

/// <summary>One slice of an ordered series.</summary>
/// <param name="Header">The slice's header.</param>
/// <param name="Index">0 = lowest slice (smallest position along the normal).</param>
/// <param name="PositionMm">ImagePositionPatient projected on the slice normal, mm.</param>
/// <param name="StepFromPreviousMm">PositionMm minus the previous slice's, mm; null for the first slice.</param>
public sealed record OrderedSlice(SliceHeader Header, int Index, double PositionMm, double? StepFromPreviousMm)
{
    public string SopInstanceUid => Header.SopInstanceUid!;
}

/// <summary>A step between neighbouring slices larger than the series' slices can cover.</summary>
/// <param name="AfterSopInstanceUid">The slice below the gap.</param>
/// <param name="BeforeSopInstanceUid">The slice above the gap.</param>
/// <param name="StepMm">Distance between the two slices along the normal, mm.</param>
/// <param name="ExpectedMm">The step the series would have without the gap (see docs/series-selection.md), mm.</param>
public sealed record SliceGap(string AfterSopInstanceUid, string BeforeSopInstanceUid, double StepMm, double ExpectedMm);

/// <summary>A file left out of a series or study listing, with the reason.</summary>
public sealed record ExcludedFile(string Path, string Reason);

/// <summary>
/// Something wrong or notable about a series. <see cref="Code"/> is a stable camelCase identifier
/// (see <see cref="SeriesProblemCodes"/>); <see cref="Message"/> explains it for a person.
/// </summary>
public sealed record SeriesProblem(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>The stable problem codes used in reports and JSON.</summary>
public static class SeriesProblemCodes
{
    public const string NotCt = "notCt";
    public const string NotImage = "notImage";
    public const string MultiFrame = "multiFrame";
    public const string MissingGeometry = "missingGeometry";
    public const string SingleSlice = "singleSlice";
    public const string NoSlices = "noSlices";
    public const string Duplicate = "duplicate";
    public const string MixedOrientation = "mixedOrientation";
    public const string MixedSize = "mixedSize";
    public const string Gap = "gap";
    public const string NonUniformSpacing = "nonUniformSpacing";
    public const string TiltTagMismatch = "tiltTagMismatch";
    public const string Localizer = "localizer";
    public const string UnreadableFile = "unreadableFile";
    public const string HeaderValue = "headerValue";
    public const string UnreadablePixels = "unreadablePixels";
}
