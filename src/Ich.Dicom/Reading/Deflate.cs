using System.IO.Compression;

namespace Ich.Dicom.Reading;

/// <summary>Deflated Explicit VR Little Endian (PS3.5 §A.5): everything after the file meta is raw deflate.</summary>
internal static class Deflate
{
    public static byte[] Inflate(byte[] buffer, int offset, int count, long maxBytes, string? path)
    {
        using var input = new MemoryStream(buffer, offset, count, writable: false);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        return BoundedRead.ReadAll(inflater, maxBytes, path, "deflated data set");
    }
}
