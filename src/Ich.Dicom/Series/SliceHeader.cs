using Ich.Dicom.Model;

namespace Ich.Dicom.Series;

/// <summary>
/// What series assembly needs from one file's header (read header-only, no pixel data).
/// Every field is optional as DICOM allows; assembly reports what is missing instead of guessing.
/// The parsed data set is deliberately not kept (its values point into the read buffer), so indexing
/// 100,000 files holds a few hundred bytes per file.
/// </summary>
public sealed record SliceHeader
{
    /// <summary>The file the header comes from.</summary>
    public required string Path { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? SopClassUid { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? PatientId { get; init; }
    /// <summary>(0008,0050), null when absent or empty.</summary>
    public string? AccessionNumber { get; init; }
    public string? Modality { get; init; }
    /// <summary>ImageType values, e.g. ["ORIGINAL", "PRIMARY", "AXIAL"] or [..., "LOCALIZER"].</summary>
    public IReadOnlyList<string> ImageType { get; init; } = [];
    public string? SeriesDescription { get; init; }
    public int? SeriesNumber { get; init; }
    public string? ConvolutionKernel { get; init; }
    public int? InstanceNumber { get; init; }
    /// <summary>ImagePositionPatient: the centre of the first transmitted pixel, mm (LPS).</summary>
    public Vec3? Position { get; init; }
    /// <summary>ImageOrientationPatient as six direction cosines (row, column).</summary>
    public IReadOnlyList<double>? OrientationCosines { get; init; }
    /// <summary>SliceThickness tag in mm.</summary>
    public double? SliceThicknessMm { get; init; }
    /// <summary>GantryDetectorTilt tag in degrees (informative: the geometry is taken from IOP/IPP).</summary>
    public double? GantryTiltTagDeg { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    /// <summary>PixelSpacing (row spacing, column spacing) in mm.</summary>
    public IReadOnlyList<double>? PixelSpacingMm { get; init; }
    public int? NumberOfFrames { get; init; }
    /// <summary>Where the file was found (disk or zip entry); null for hand-built headers, which load from <see cref="Path"/>.</summary>
    public Reading.InputFile? Input { get; init; }

    /// <summary>Extracts the fields from a parsed dataset. Malformed numeric values are treated as absent and listed in <see cref="HeaderIssues"/>.</summary>
    public static SliceHeader FromDataset(string path, DicomDataset ds)
    {
        var issues = new List<string>();
        double[]? Numbers(DicomTag tag, string name)
        {
            try { return ds.GetNumbers(tag) is { Length: > 0 } v ? v : null; }
            catch (FormatException e) { issues.Add($"{name}: {e.Message}"); return null; }
        }
        int? Int(DicomTag tag, string name) => Numbers(tag, name) is { } v ? (int)Math.Round(v[0]) : null;
        double? Number(DicomTag tag, string name) => Numbers(tag, name)?[0];

        var ipp = Numbers(DicomTags.ImagePositionPatient, "ImagePositionPatient");
        Vec3? position = null;
        if (ipp is { Length: 3 }) position = new Vec3(ipp[0], ipp[1], ipp[2]);
        else if (ipp is not null) issues.Add($"ImagePositionPatient has {ipp.Length} values, expected 3");

        return new SliceHeader
        {
            Path = path,
            SopInstanceUid = ds.GetString(DicomTags.SOPInstanceUID),
            SopClassUid = ds.GetString(DicomTags.SOPClassUID),
            StudyInstanceUid = ds.GetString(DicomTags.StudyInstanceUID),
            SeriesInstanceUid = ds.GetString(DicomTags.SeriesInstanceUID),
            PatientId = ds.GetString(DicomTags.PatientID),
            AccessionNumber = ds.GetString(DicomTags.AccessionNumber) is { Length: > 0 } accession ? accession : null,
            Modality = ds.GetString(DicomTags.Modality),
            ImageType = ds.GetStrings(DicomTags.ImageType),
            SeriesDescription = ds.GetText(DicomTags.SeriesDescription),
            SeriesNumber = Int(DicomTags.SeriesNumber, "SeriesNumber"),
            ConvolutionKernel = ds.GetText(DicomTags.ConvolutionKernel),
            InstanceNumber = Int(DicomTags.InstanceNumber, "InstanceNumber"),
            Position = position,
            OrientationCosines = Numbers(DicomTags.ImageOrientationPatient, "ImageOrientationPatient"),
            SliceThicknessMm = Number(DicomTags.SliceThickness, "SliceThickness"),
            GantryTiltTagDeg = Number(DicomTags.GantryDetectorTilt, "GantryDetectorTilt"),
            Rows = Int(DicomTags.Rows, "Rows"),
            Columns = Int(DicomTags.Columns, "Columns"),
            PixelSpacingMm = Numbers(DicomTags.PixelSpacing, "PixelSpacing"),
            NumberOfFrames = Int(DicomTags.NumberOfFrames, "NumberOfFrames"),
            HeaderIssues = issues,
        };
    }

    /// <summary>Values that were present but unreadable (e.g. a DS that is not a number).</summary>
    public IReadOnlyList<string> HeaderIssues { get; init; } = [];

    /// <summary>Why this file's pixels cannot be read although its header can (e.g. cut short in transfer), or null. Such a slice keeps its place in the series geometry but is left out of the scan.</summary>
    public string? PixelDataProblem { get; init; }

    /// <summary>True when ImageType marks a scout/localizer (its third value, or any value, is LOCALIZER).</summary>
    public bool IsLocalizer => ImageType.Any(t => t.Equals("LOCALIZER", StringComparison.OrdinalIgnoreCase));

    /// <summary>Rows × Columns as text for messages ("512x512", "?" when unknown).</summary>
    public string SizeText => Rows is { } r && Columns is { } c ? $"{c}x{r}" : "?";
}
