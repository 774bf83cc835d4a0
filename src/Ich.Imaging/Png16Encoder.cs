using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Ich.Imaging;

/// <summary>
/// Minimal PNG encoder for 16-bit greyscale (PNG spec, ISO/IEC 15948): signature, IHDR, one zlib IDAT,
/// IEND. Samples are big-endian as the format requires; every row is written with filter type 1 (Sub,
/// bytes per pixel = 2). Kept separate from <see cref="PngFile"/> so the chunk/CRC details live in one place.
/// </summary>
internal static class Png16Encoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static void WriteGray16(Stream output, ushort[] pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height) throw new ArgumentException("pixel count does not match size", nameof(pixels));

        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 16; // bit depth
        header[9] = 0;  // colour type: greyscale
        // header[10..12] = compression 0 (deflate), filter method 0, no interlace
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", CompressRows(pixels, width, height));
        WriteChunk(output, "IEND", []);
    }

    private static byte[] CompressRows(ushort[] pixels, int width, int height)
    {
        var rowBytes = width * 2;
        var raw = new byte[rowBytes];
        var filtered = new byte[1 + rowBytes];
        filtered[0] = 1; // Sub: each byte minus the byte two to its left (the same byte of the previous sample)
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                    BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(2 * x), pixels[y * width + x]);
                for (var i = 0; i < rowBytes; i++)
                    filtered[1 + i] = (byte)(raw[i] - (i >= 2 ? raw[i - 2] : 0));
                zlib.Write(filtered);
            }
        }
        return buffer.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        // The CRC covers the chunk type and data, not the length.
        var crc = UpdateCrc(0xFFFFFFFFu, typeBytes);
        crc = UpdateCrc(crc, data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    private static uint UpdateCrc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    // CRC-32 with the reflected polynomial 0xEDB88320, as PNG (and zlib's crc32) define it.
    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
