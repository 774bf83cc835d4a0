namespace Ich.Dicom.Reading;

/// <summary>How <see cref="DicomFileReader"/> reads a file.</summary>
public sealed record DicomReadOptions
{
    /// <summary>
    /// Largest file accepted, bytes: 2 GiB (the largest .NET byte array), since files are read whole
    /// into memory. Larger files raise a <see cref="Ich.Core.Errors.DicomFormatException"/>.
    /// </summary>
    public const long DefaultMaxFileBytes = 0x7FFFFFC7; // Array.MaxLength

    /// <summary>
    /// Stop at the first top-level element at or after (7FE0,0008) (Float/Double Float/Pixel Data):
    /// the pixel bytes are never read from disk. For indexing thousands of files.
    /// </summary>
    public bool HeaderOnly { get; init; }

    /// <summary>Files (or inflated deflate payloads, or zip entries) larger than this are refused.</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>Reads everything, pixel data included.</summary>
    public static DicomReadOptions Full { get; } = new();

    /// <summary>Reads the header only; see <see cref="HeaderOnly"/>.</summary>
    public static DicomReadOptions Header { get; } = new() { HeaderOnly = true };
}
