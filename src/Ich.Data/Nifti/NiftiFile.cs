using System.Buffers.Binary;
using System.IO.Compression;
using Ich.Core.Errors;

namespace Ich.Data.Nifti;

/// <summary>
/// A NIfTI file read into memory: its header and the raw voxel block of all volumes, converted to
/// little-endian (the byte order the manifest hashes), x fastest (on-disk order).
/// Reads .nii, .nii.gz, and .hdr/.img(.gz) pairs.
/// </summary>
public sealed class NiftiFile
{
    private NiftiFile(string path, NiftiHeader header, byte[] raw)
    {
        Path = path;
        Header = header;
        RawLittleEndian = raw;
    }

    public string Path { get; }
    public NiftiHeader Header { get; }

    /// <summary>Voxel block (dim[1]·…·dim[n] voxels of <see cref="NiftiHeader.BytesPerVoxel"/> bytes), little-endian.</summary>
    public byte[] RawLittleEndian { get; }

    /// <summary>True when the name ends in .nii, .nii.gz or .hdr (case-insensitive).</summary>
    public static bool IsNiftiName(string path)
    {
        var name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        return name.EndsWith(".nii") || name.EndsWith(".nii.gz") || name.EndsWith(".hdr");
    }

    /// <summary>Reads the header only (decompresses just enough of a .gz).</summary>
    public static NiftiHeader ReadHeader(string path)
    {
        var buffer = new byte[540];
        int n;
        try
        {
            using var stream = OpenMaybeGz(path);
            n = ReadUpTo(stream, buffer);
        }
        catch (InvalidDataException e) { throw new ImageFormatException($"corrupt gzip stream: {e.Message}", path, e); }
        catch (IOException e) when (e is not FileNotFoundException) { throw new ImageFormatException($"cannot read: {e.Message}", path, e); }
        return NiftiHeader.Parse(buffer.AsSpan(0, n), path);
    }

    /// <summary>Reads header and voxels; throws <see cref="ImageFormatException"/> naming the file on any problem.</summary>
    public static NiftiFile Read(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = OpenMaybeGz(path);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }
        catch (InvalidDataException e) { throw new ImageFormatException($"corrupt gzip stream: {e.Message}", path, e); }
        catch (IOException e) when (e is not FileNotFoundException) { throw new ImageFormatException($"cannot read: {e.Message}", path, e); }

        var header = NiftiHeader.Parse(bytes, path);
        header.Validate(path);
        var count = header.VoxelCount;
        var length = count * header.BytesPerVoxel;
        byte[] source;
        long offset;
        if (header.SingleFile)
        {
            source = bytes;
            offset = header.VoxOffset;
        }
        else
        {
            var image = PairedImage(path);
            using var stream = OpenMaybeGz(image);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            source = memory.ToArray();
            offset = header.VoxOffset;
            path = image;
        }
        if (offset + length > source.Length)
            throw new ImageFormatException($"truncated voxel data: need {length} bytes from offset {offset}, file has {source.Length - offset}", path);
        var raw = source.AsSpan((int)offset, (int)length).ToArray();
        if (header.BigEndian) SwapInPlace(raw, header.BytesPerVoxel);
        return new NiftiFile(path, header, raw);
    }

    /// <summary>Raw voxel i (on-disk order) as double (no scaling).</summary>
    public double RawValue(long i)
    {
        var b = RawLittleEndian.AsSpan();
        return Header.DatatypeCode switch
        {
            2 => b[(int)i],
            256 => (sbyte)b[(int)i],
            4 => BinaryPrimitives.ReadInt16LittleEndian(b[(int)(2 * i)..]),
            512 => BinaryPrimitives.ReadUInt16LittleEndian(b[(int)(2 * i)..]),
            8 => BinaryPrimitives.ReadInt32LittleEndian(b[(int)(4 * i)..]),
            768 => BinaryPrimitives.ReadUInt32LittleEndian(b[(int)(4 * i)..]),
            16 => BinaryPrimitives.ReadSingleLittleEndian(b[(int)(4 * i)..]),
            1024 => BinaryPrimitives.ReadInt64LittleEndian(b[(int)(8 * i)..]),
            1280 => BinaryPrimitives.ReadUInt64LittleEndian(b[(int)(8 * i)..]),
            64 => BinaryPrimitives.ReadDoubleLittleEndian(b[(int)(8 * i)..]),
            _ => throw new InvalidOperationException($"datatype {Header.DatatypeCode}"),
        };
    }

    /// <summary>
    /// Scaled values (scl_slope·raw + scl_inter, computed in double, stored as float) of the first
    /// <paramref name="count"/> voxels; one typed loop per datatype (no per-voxel dispatch).
    /// </summary>
    public float[] ScaledPrefix(int count)
    {
        var (slope, inter) = Header.Scaling;
        var result = new float[count];
        void Fill<T>(Func<T, double> value) where T : unmanaged
        {
            var src = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(RawLittleEndian.AsSpan(0, count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
            for (var i = 0; i < count; i++) result[i] = (float)(slope * value(src[i]) + inter);
        }
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        switch (Header.DatatypeCode)
        {
            case 2: Fill<byte>(v => v); break;
            case 256: Fill<sbyte>(v => v); break;
            case 4: Fill<short>(v => v); break;
            case 512: Fill<ushort>(v => v); break;
            case 8: Fill<int>(v => v); break;
            case 768: Fill<uint>(v => v); break;
            case 16: Fill<float>(v => v); break;
            case 64: Fill<double>(v => v); break;
            case 1024: Fill<long>(v => v); break;
            case 1280: Fill<ulong>(v => v); break;
            default: throw new InvalidOperationException($"datatype {Header.DatatypeCode}");
        }
        return result;
    }

    /// <summary>Scaled values (scl_slope·raw + scl_inter, in double) of voxels [first, first + count).</summary>
    public double[] Scaled(long first, long count)
    {
        var (slope, inter) = Header.Scaling;
        var result = new double[count];
        for (long i = 0; i < count; i++) result[i] = slope * RawValue(first + i) + inter;
        return result;
    }

    /// <summary>The .img (or .img.gz) beside a .hdr; <see cref="ImageFormatException"/> when absent.</summary>
    public static string PairedImage(string hdrPath)
    {
        var stem = hdrPath[..^4];
        foreach (var candidate in new[] { stem + ".img", stem + ".img.gz", stem + ".IMG" })
            if (File.Exists(candidate)) return candidate;
        throw new ImageFormatException("header-only NIfTI pair: the paired .img file is missing", hdrPath);
    }

    private static Stream OpenMaybeGz(string path)
    {
        if (!File.Exists(path)) throw new ImageFormatException("file not found", path);
        var file = File.OpenRead(path);
        var magic = new byte[2];
        var n = file.Read(magic, 0, 2);
        file.Position = 0;
        // Decide by content, not name: some tools write gzip data to .nii and the reverse.
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static int ReadUpTo(Stream stream, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static void SwapInPlace(byte[] raw, int width)
    {
        if (width == 1) return;
        for (var i = 0; i + width <= raw.Length; i += width) Array.Reverse(raw, i, width);
    }
}
