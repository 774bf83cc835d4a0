namespace Ich.Dicom.Codecs;

/// <summary>What a decoder needs to know about one frame (from the Image Pixel module).</summary>
public sealed record FrameInfo(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    bool IsSigned,
    int PlanarConfiguration,
    string? SourcePath = null);

/// <summary>
/// Decodes one compressed frame of encapsulated pixel data into the native uncompressed layout:
/// Rows × Columns × SamplesPerPixel values of BitsAllocated bits, little-endian, samples interleaved
/// (colour-by-pixel), exactly what an uncompressed Explicit VR Little Endian file would hold.
/// Implementations are stateless and thread-safe; bad streams raise a <see cref="Ich.Core.Errors.DicomFormatException"/>.
/// </summary>
public interface IFrameDecoder
{
    /// <summary>Transfer syntax UIDs this decoder handles.</summary>
    IReadOnlyCollection<string> TransferSyntaxUids { get; }

    /// <summary>Decodes the bytes of one frame (all its fragments joined).</summary>
    byte[] Decode(ReadOnlySpan<byte> frame, FrameInfo info);
}
