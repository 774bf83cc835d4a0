namespace Ich.Dicom.Codecs;

/// <summary>What a decoder needs to know about one frame (from the Image Pixel module).</summary>
/// <param name="Rows">Rows (0028,0010), pixels.</param>
/// <param name="Columns">Columns (0028,0011), pixels.</param>
/// <param name="SamplesPerPixel">Samples per pixel (0028,0002): 1 (grey) or 3 (colour).</param>
/// <param name="BitsAllocated">Container size of one sample in the output, bits: 8, 16 or 32.</param>
/// <param name="BitsStored">Significant bits of one sample.</param>
/// <param name="IsSigned">Pixel Representation = 1; decoders output raw bits, the caller sign-extends.</param>
/// <param name="PlanarConfiguration">Planar Configuration of the dataset; the decoded output is always colour-by-pixel.</param>
/// <param name="SourcePath">The file the frame came from; named in every error.</param>
/// <param name="Photometric">Photometric Interpretation (0028,0004), when known. Colour JPEG (DCT) frames
/// whose photometric is YBR_FULL or YBR_FULL_422 are converted to RGB by the decoder (the caller then
/// treats the output as RGB); other values leave the decoded components as coded.</param>
public sealed record FrameInfo(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    bool IsSigned,
    int PlanarConfiguration,
    string? SourcePath = null,
    string? Photometric = null);

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
