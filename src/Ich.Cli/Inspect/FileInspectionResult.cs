namespace Ich.Cli.Inspect;

/// <summary>
/// One line of <c>ich inspect</c>. With --json it is written as one JSON object per line with these
/// camelCase keys (a contract: keep the names); absent values are null; <see cref="Error"/> is null
/// when the file was read and its pixels decoded.
/// </summary>
public sealed record FileInspectionResult
{
    public required string Path { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? TransferSyntaxUid { get; init; }
    public string? TransferSyntaxName { get; init; }
    public string? Modality { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    public int? Frames { get; init; }
    public int? SamplesPerPixel { get; init; }
    public int? BitsAllocated { get; init; }
    public int? BitsStored { get; init; }
    public bool? Signed { get; init; }
    public string? Photometric { get; init; }
    /// <summary>Rescale slope of frame 0 (top level, else functional groups); null when a LUT or nothing applies.</summary>
    public double? RescaleSlope { get; init; }
    /// <summary>Rescale intercept of frame 0, as <see cref="RescaleSlope"/>.</summary>
    public double? RescaleIntercept { get; init; }
    /// <summary>Where the modality transform comes from: none, rescale, perFrameFunctionalGroups, sharedFunctionalGroups, lookupTable.</summary>
    public string? ModalityLut { get; init; }
    public int? PixelPaddingValue { get; init; }
    /// <summary>SHA-256 of the stored pixel array as realdata/README.md defines pixel_sha256; null without pixel data.</summary>
    public string? PixelSha256 { get; init; }
    /// <summary>Why the file failed, or null.</summary>
    public string? Error { get; init; }
    /// <summary>Kind of failure: format, unsupported-transfer-syntax, io, internal (a reader bug); null when fine.</summary>
    public string? ErrorKind { get; init; }
}
