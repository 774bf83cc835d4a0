using Ich.Core.Errors;

namespace Ich.Dicom.Reading;

/// <summary>Reads a stream whole without trusting any declared length (zip entries, inflated data).</summary>
internal static class BoundedRead
{
    /// <summary>All bytes of <paramref name="stream"/>; more than <paramref name="maxBytes"/> raises a <see cref="DicomFormatException"/>.</summary>
    public static byte[] ReadAll(Stream stream, long maxBytes, string? path, string what = "file")
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            if (count == buffer.Length)
            {
                if (count >= maxBytes)
                {
                    // One more byte tells "exactly at the limit" from "above it".
                    if (stream.ReadByte() < 0) break;
                    throw new DicomFormatException($"{what} is larger than the reader's limit of {maxBytes} bytes", path);
                }
                Array.Resize(ref buffer, (int)Math.Min(maxBytes, Math.Min((long)buffer.Length * 2, Array.MaxLength)));
            }
            int read;
            try
            {
                read = stream.Read(buffer, count, buffer.Length - count);
            }
            catch (InvalidDataException e)
            {
                throw new DicomFormatException($"{what} cannot be decompressed: {e.Message}", path, inner: e);
            }
            if (read == 0) break;
            count += read;
        }
        if (count == buffer.Length) return buffer;
        Array.Resize(ref buffer, count);
        return buffer;
    }
}
