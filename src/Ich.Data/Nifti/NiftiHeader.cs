using System.Buffers.Binary;
using System.Text;
using Ich.Core.Errors;

namespace Ich.Data.Nifti;

/// <summary>NIfTI datatype codes this reader decodes (NIfTI-1 nifti1.h values).</summary>
public enum NiftiDatatype : short
{
    UInt8 = 2, Int16 = 4, Int32 = 8, Float32 = 16, Float64 = 64,
    Int8 = 256, UInt16 = 512, UInt32 = 768, Int64 = 1024, UInt64 = 1280,
}

/// <summary>
/// A NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header, either byte order, as stored on disk.
/// Lengths in mm (when xyzt_units says so), times in s. Arrays are the raw 8-element header arrays:
/// <see cref="Dim"/>[0] = number of dimensions, [1..3] = x, y, z sizes, [4] = volumes.
/// </summary>
public sealed class NiftiHeader
{
    public required int Version { get; init; }          // 1 or 2
    public required bool SingleFile { get; init; }      // n+1/n+2 (.nii) vs ni1/ni2 (.hdr/.img pair)
    public required bool BigEndian { get; init; }
    public required int SizeofHdr { get; init; }
    public required long[] Dim { get; init; }
    public required short DatatypeCode { get; init; }
    public required short Bitpix { get; init; }
    public required double[] Pixdim { get; init; }
    public required long VoxOffset { get; init; }
    public required double SclSlope { get; init; }
    public required double SclInter { get; init; }
    public required int XyztUnits { get; init; }
    public required int QformCode { get; init; }
    public required int SformCode { get; init; }
    public required double[] Quatern { get; init; }     // b, c, d
    public required double[] QOffset { get; init; }     // x, y, z
    public required double[][] Srow { get; init; }      // 3 rows of 4

    /// <summary>nibabel's class name for this header: Nifti1Image, Nifti2Image, Nifti1Pair, Nifti2Pair.</summary>
    public string FormatName => $"Nifti{Version}{(SingleFile ? "Image" : "Pair")}";

    /// <summary>Number of voxels in the whole file (all volumes): product of dim[1..dim[0]].</summary>
    public long VoxelCount
    {
        get
        {
            long n = 1;
            for (var i = 1; i <= Dim[0]; i++) n *= Dim[i];
            return n;
        }
    }

    /// <summary>Bytes per voxel for a supported datatype.</summary>
    public int BytesPerVoxel => DatatypeCode switch
    {
        2 or 256 => 1,
        4 or 512 => 2,
        8 or 16 or 768 => 4,
        64 or 1024 or 1280 => 8,
        _ => 0,
    };

    /// <summary>numpy-style dtype name of the raw voxels (u1, i2, f4 ...), as the manifest writes it.</summary>
    public string RawDtype => DatatypeCode switch
    {
        2 => "u1", 4 => "i2", 8 => "i4", 16 => "f4", 64 => "f8",
        256 => "i1", 512 => "u2", 768 => "u4", 1024 => "i8", 1280 => "u8",
        _ => $"datatype-{DatatypeCode}",
    };

    /// <summary>
    /// Effective read scaling: (1, 0) when scl_slope is 0 or not finite (the NIfTI rule: no scaling);
    /// a non-finite intercept counts as 0.
    /// </summary>
    public (double Slope, double Inter) Scaling =>
        SclSlope == 0 || !double.IsFinite(SclSlope) ? (1, 0) : (SclSlope, double.IsFinite(SclInter) ? SclInter : 0);

    /// <summary>
    /// Voxel → world (RAS+, mm) 4×4 affine, row-major: the sform when sform_code &gt; 0, else the qform when
    /// qform_code &gt; 0 (quaternion, qfac = pixdim[0], treated as 1 unless −1), else the NIfTI "method 1"
    /// fallback diag(pixdim[1..3]) with zero offset.
    /// </summary>
    public double[,] Affine()
    {
        var a = new double[4, 4];
        a[3, 3] = 1;
        if (SformCode > 0)
        {
            for (var r = 0; r < 3; r++)
            for (var c = 0; c < 4; c++) a[r, c] = Srow[r][c];
            return a;
        }
        if (QformCode > 0)
        {
            double b = Quatern[0], c2 = Quatern[1], d = Quatern[2];
            var aq = 1.0 - (b * b + c2 * c2 + d * d);
            aq = aq <= 0 ? 0 : Math.Sqrt(aq); // ≤ 0 only from rounding: a 180° rotation
            var qfac = Pixdim[0] < 0 ? -1.0 : 1.0;
            var rot = new double[3, 3]
            {
                { aq * aq + b * b - c2 * c2 - d * d, 2 * (b * c2 - aq * d), 2 * (b * d + aq * c2) },
                { 2 * (b * c2 + aq * d), aq * aq + c2 * c2 - b * b - d * d, 2 * (c2 * d - aq * b) },
                { 2 * (b * d - aq * c2), 2 * (c2 * d + aq * b), aq * aq + d * d - b * b - c2 * c2 },
            };
            double[] scale = [Pixdim[1], Pixdim[2], Pixdim[3] * qfac];
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 3; c++) a[r, c] = rot[r, c] * scale[c];
                a[r, 3] = QOffset[r];
            }
            return a;
        }
        for (var i = 0; i < 3; i++) a[i, i] = Pixdim[i + 1] == 0 ? 1 : Pixdim[i + 1];
        return a;
    }

    /// <summary>Parses a header from the start of <paramref name="bytes"/> (at least 348 or 540 bytes).</summary>
    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 348) throw new ImageFormatException($"too short for a NIfTI header ({bytes.Length} bytes)", path);
        var le = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var be = BinaryPrimitives.ReadInt32BigEndian(bytes);
        bool bigEndian;
        int size;
        if (le is 348 or 540) { bigEndian = false; size = le; }
        else if (be is 348 or 540) { bigEndian = true; size = be; }
        else throw new ImageFormatException($"not NIfTI: sizeof_hdr is {le} (expected 348 for NIfTI-1 or 540 for NIfTI-2)", path);
        if (bytes.Length < size) throw new ImageFormatException($"truncated header ({bytes.Length} of {size} bytes)", path);
        var r = new Reader(bytes, bigEndian);
        return size == 348 ? ParseV1(r, bytes, path, bigEndian) : ParseV2(r, bytes, path, bigEndian);
    }

    private static NiftiHeader ParseV1(Reader r, ReadOnlySpan<byte> bytes, string path, bool bigEndian)
    {
        var magic = Encoding.ASCII.GetString(bytes.Slice(344, 3));
        if (magic is not ("n+1" or "ni1"))
            throw new ImageFormatException($"bad NIfTI-1 magic '{magic}' at byte 344 (ANALYZE 7.5 files are not supported)", path);
        var dim = new long[8];
        for (var i = 0; i < 8; i++) dim[i] = r.I16(40 + 2 * i);
        var pixdim = new double[8];
        for (var i = 0; i < 8; i++) pixdim[i] = r.F32(76 + 4 * i);
        return new NiftiHeader
        {
            Version = 1, SingleFile = magic == "n+1", BigEndian = bigEndian, SizeofHdr = 348,
            Dim = dim, DatatypeCode = r.I16(70), Bitpix = r.I16(72), Pixdim = pixdim,
            VoxOffset = (long)r.F32(108), SclSlope = r.F32(112), SclInter = r.F32(116),
            XyztUnits = bytes[123], QformCode = r.I16(252), SformCode = r.I16(254),
            Quatern = [r.F32(256), r.F32(260), r.F32(264)],
            QOffset = [r.F32(268), r.F32(272), r.F32(276)],
            Srow = [Row(r, 280), Row(r, 296), Row(r, 312)],
        };

        static double[] Row(Reader r, int at)
        {
            var row = new double[4];
            for (var i = 0; i < 4; i++) row[i] = r.F32(at + 4 * i);
            return row;
        }
    }

    private static NiftiHeader ParseV2(Reader r, ReadOnlySpan<byte> bytes, string path, bool bigEndian)
    {
        var magic = Encoding.ASCII.GetString(bytes.Slice(4, 3));
        if (magic is not ("n+2" or "ni2")) throw new ImageFormatException($"bad NIfTI-2 magic '{magic}' at byte 4", path);
        var dim = new long[8];
        for (var i = 0; i < 8; i++) dim[i] = r.I64(16 + 8 * i);
        var pixdim = new double[8];
        for (var i = 0; i < 8; i++) pixdim[i] = r.F64(104 + 8 * i);
        return new NiftiHeader
        {
            Version = 2, SingleFile = magic == "n+2", BigEndian = bigEndian, SizeofHdr = 540,
            Dim = dim, DatatypeCode = r.I16(12), Bitpix = r.I16(14), Pixdim = pixdim,
            VoxOffset = r.I64(168), SclSlope = r.F64(176), SclInter = r.F64(184),
            XyztUnits = r.I32(500), QformCode = r.I32(344), SformCode = r.I32(348),
            Quatern = [r.F64(352), r.F64(360), r.F64(368)],
            QOffset = [r.F64(376), r.F64(384), r.F64(392)],
            Srow = [Row(r, 400), Row(r, 432), Row(r, 464)],
        };

        static double[] Row(Reader r, int at)
        {
            var row = new double[4];
            for (var i = 0; i < 4; i++) row[i] = r.F64(at + 8 * i);
            return row;
        }
    }

    /// <summary>Checks what the voxel reader needs; throws naming the field.</summary>
    public void Validate(string path)
    {
        if (Dim[0] is < 1 or > 7) throw new ImageFormatException($"dim[0] = {Dim[0]} (must be 1..7)", path);
        for (var i = 1; i <= Dim[0]; i++)
            if (Dim[i] < 1) throw new ImageFormatException($"dim[{i}] = {Dim[i]} (must be ≥ 1)", path);
        if (BytesPerVoxel == 0)
            throw new ImageFormatException($"unsupported datatype {DatatypeCode} (supported: uint8/16/32/64, int8/16/32/64, float32/64; not complex or RGB)", path);
        if (Bitpix != BytesPerVoxel * 8)
            throw new ImageFormatException($"bitpix {Bitpix} does not match datatype {DatatypeCode} ({BytesPerVoxel * 8} bits)", path);
        if (SingleFile && VoxOffset < SizeofHdr)
            throw new ImageFormatException($"vox_offset {VoxOffset} lies inside the {SizeofHdr}-byte header", path);
    }

    private readonly ref struct Reader(ReadOnlySpan<byte> b, bool big)
    {
        private readonly ReadOnlySpan<byte> _b = b;
        public short I16(int at) => big ? BinaryPrimitives.ReadInt16BigEndian(_b[at..]) : BinaryPrimitives.ReadInt16LittleEndian(_b[at..]);
        public int I32(int at) => big ? BinaryPrimitives.ReadInt32BigEndian(_b[at..]) : BinaryPrimitives.ReadInt32LittleEndian(_b[at..]);
        public long I64(int at) => big ? BinaryPrimitives.ReadInt64BigEndian(_b[at..]) : BinaryPrimitives.ReadInt64LittleEndian(_b[at..]);
        public float F32(int at) => big ? BinaryPrimitives.ReadSingleBigEndian(_b[at..]) : BinaryPrimitives.ReadSingleLittleEndian(_b[at..]);
        public double F64(int at) => big ? BinaryPrimitives.ReadDoubleBigEndian(_b[at..]) : BinaryPrimitives.ReadDoubleLittleEndian(_b[at..]);
    }
}
