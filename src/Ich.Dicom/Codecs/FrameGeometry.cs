using System.Diagnostics.CodeAnalysis;
using Ich.Core.Errors;

namespace Ich.Dicom.Codecs;

/// <summary>
/// Checks a <see cref="FrameInfo"/> before any decoder allocates, and builds the errors decoders raise.
/// </summary>
public static class FrameGeometry
{
    /// <summary>
    /// Largest decoded frame accepted, bytes (256 MiB, e.g. 8192 × 8192 × 3 samples × 8 bits, or
    /// 11585 × 11585 × 16 bits): anything larger is treated as a corrupt header, not allocated.
    /// </summary>
    public const long MaxFrameBytes = 256L << 20;

    /// <summary>
    /// Validates the frame description and returns the decoded size in bytes
    /// (Rows × Columns × SamplesPerPixel × BitsAllocated / 8).
    /// </summary>
    public static int OutputLength(FrameInfo info, string codec)
    {
        if (info.Rows <= 0 || info.Columns <= 0)
            Fail(info, $"{codec}: frame has {info.Rows} rows × {info.Columns} columns");
        if (info.SamplesPerPixel is not (1 or 3))
            Fail(info, $"{codec}: SamplesPerPixel {info.SamplesPerPixel} is not 1 or 3");
        if (info.BitsAllocated is not (8 or 16 or 32))
            Fail(info, $"{codec}: BitsAllocated {info.BitsAllocated} is not 8, 16 or 32");
        if (info.BitsStored < 1 || info.BitsStored > info.BitsAllocated)
            Fail(info, $"{codec}: BitsStored {info.BitsStored} does not fit BitsAllocated {info.BitsAllocated}");
        long bytes = (long)info.Rows * info.Columns * info.SamplesPerPixel * (info.BitsAllocated / 8);
        if (bytes > MaxFrameBytes)
            Fail(info, $"{codec}: decoded frame would be {bytes} bytes, above the limit of {MaxFrameBytes}");
        return (int)bytes;
    }

    /// <summary>Raises the <see cref="DicomFormatException"/> for a malformed compressed frame.</summary>
    [DoesNotReturn]
    public static void Fail(FrameInfo info, string reason) => throw new DicomFormatException(reason, info.SourcePath);

    /// <summary>As <see cref="Fail"/>, usable in expression position.</summary>
    [DoesNotReturn]
    public static T Fail<T>(FrameInfo info, string reason) => throw new DicomFormatException(reason, info.SourcePath);
}
