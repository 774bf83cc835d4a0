using System.Buffers.Binary;
using Ich.Dicom.Model;

namespace Ich.Dicom.Reading;

/// <summary>
/// Whether a file's native pixel data fits in the file, judged from its element header alone. A header-only read
/// stops before the pixel bytes, so without this check a file cut short in transfer (a partly received study)
/// would be listed as a good slice and fail only when decoded, sinking its whole scan. With it, the series
/// assembler knows which slices are unreadable before any pixel is decoded.
/// </summary>
internal static class PixelDataExtent
{
    /// <summary>The problem ("pixel data truncated: ...") or null when the data fits, is encapsulated, or cannot be judged from the bytes read.</summary>
    /// <param name="buffer">The bytes read so far.</param>
    /// <param name="available">How many of them are valid.</param>
    /// <param name="elementOffset">File offset of the element where the header-only parse stopped.</param>
    /// <param name="fileLength">The file's full length.</param>
    /// <param name="bigEndian">Whether the data set is big endian.</param>
    public static string? Problem(byte[] buffer, int available, long elementOffset, long fileLength, bool bigEndian)
    {
        if (elementOffset < 0 || elementOffset + 8 > available) return null;
        var pos = (int)elementOffset;
        var span = buffer.AsSpan(pos, available - pos);
        var group = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
        var element = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[2..]);
        if (group != DicomTags.PixelData.Group || element != DicomTags.PixelData.Element) return null;

        long declared;
        int headerLength;
        if (DicomVRInfo.TryParse(span[4], span[5], out var vr))
        {
            if (DicomVRInfo.HasLongLength(vr))
            {
                if (span.Length < 12) return null;
                declared = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
                headerLength = 12;
            }
            else
            {
                declared = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[6..]);
                headerLength = 8;
            }
        }
        else
        {
            declared = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]); // Implicit VR is always little endian
            headerLength = 8;
        }
        if (declared == uint.MaxValue) return null; // encapsulated: its fragments are checked when decoded
        var remaining = fileLength - elementOffset - headerLength;
        return declared > remaining
            ? $"pixel data truncated: element {DicomTags.PixelData} claims {declared} bytes but only {Math.Max(0, remaining)} remain"
            : null;
    }
}
