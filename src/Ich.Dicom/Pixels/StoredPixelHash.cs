using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Ich.Dicom.Pixels;

/// <summary>
/// SHA-256 of the stored pixel array exactly as realdata/dicom_manifest.csv defines <c>pixel_sha256</c>:
/// all frames in file order, C order (frames, rows, columns[, samples]), each stored value written
/// little-endian in the narrowest type BitsAllocated and Pixel Representation imply
/// (u1/i1, u2/i2, u4/i4; BitsAllocated 1 → u1 0/1).
/// </summary>
public static class StoredPixelHash
{
    /// <summary>Lower-case hex SHA-256 of every frame's stored values.</summary>
    public static string Compute(DicomPixelData pixels)
    {
        var d = pixels.Description;
        var width = d.BitsAllocated switch { 1 or 8 => 1, 16 => 2, _ => 4 };
        var samples = (int)d.SamplesPerFrame;
        var values = new int[samples];
        var bytes = new byte[samples * width];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var f = 0; f < pixels.FrameCount; f++)
        {
            pixels.GetStoredFrame(f, values);
            Narrow(values, width, bytes);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow(int[] values, int width, byte[] bytes)
    {
        switch (width)
        {
            case 1:
                for (var i = 0; i < values.Length; i++) bytes[i] = (byte)values[i];
                break;
            case 2:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), (short)values[i]);
                break;
            default:
                for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
                break;
        }
    }
}
