using System.Buffers.Binary;
using System.Text;

namespace Ich.Dicom.Tests;

/// <summary>
/// A tiny test-side DICOM byte writer (independent of the reader): preamble, file meta, elements in
/// Implicit/Explicit VR and either byte order, sequences and items of defined or undefined length,
/// encapsulated fragments, and raw headers with arbitrary (hostile) lengths.
/// </summary>
public sealed class DicomBytesBuilder
{
    public const uint Undefined = 0xFFFFFFFF;
    private static readonly HashSet<string> LongVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV"];
    private readonly MemoryStream _out = new();

    public DicomBytesBuilder(bool explicitVr = true, bool bigEndian = false)
    {
        ExplicitVr = explicitVr;
        BigEndian = bigEndian;
    }

    public bool ExplicitVr { get; set; }
    public bool BigEndian { get; set; }
    public long Length => _out.Length;

    /// <summary>128 zero bytes and "DICM".</summary>
    public DicomBytesBuilder Preamble()
    {
        _out.Write(new byte[128]);
        _out.Write("DICM"u8);
        return this;
    }

    /// <summary>A file meta group (Explicit VR LE) with group length, version, SOP class/instance and the transfer syntax.</summary>
    public DicomBytesBuilder Meta(string? transferSyntaxUid, string sopInstanceUid = "1.2.3.4")
    {
        var meta = new DicomBytesBuilder(explicitVr: true, bigEndian: false);
        meta.Element(0x0002, 0x0001, "OB", [0, 1]);
        meta.Text(0x0002, 0x0002, "UI", "1.2.840.10008.5.1.4.1.1.2");
        meta.Text(0x0002, 0x0003, "UI", sopInstanceUid);
        if (transferSyntaxUid is not null) meta.Text(0x0002, 0x0010, "UI", transferSyntaxUid);
        var body = meta.ToArray();
        var group = new DicomBytesBuilder(explicitVr: true, bigEndian: false);
        group.UL(0x0002, 0x0000, (uint)body.Length);
        _out.Write(group.ToArray());
        _out.Write(body);
        return this;
    }

    /// <summary>An element header with any length (nothing else written).</summary>
    public DicomBytesBuilder Header(ushort group, ushort element, string vr, uint length)
    {
        U16(group);
        U16(element);
        if (ExplicitVr && group != 0xFFFE)
        {
            _out.Write(Encoding.ASCII.GetBytes(vr));
            if (LongVrs.Contains(vr))
            {
                U16(0);
                U32(length);
            }
            else U16((ushort)length);
        }
        else U32(length);
        return this;
    }

    /// <summary>An element with a value, padded to even length with <paramref name="pad"/>.</summary>
    public DicomBytesBuilder Element(ushort group, ushort element, string vr, byte[] value, byte pad = 0)
    {
        var padded = value.Length % 2 == 0 ? value : [.. value, pad];
        Header(group, element, vr, (uint)padded.Length);
        _out.Write(padded);
        return this;
    }

    public DicomBytesBuilder Text(ushort group, ushort element, string vr, string text) =>
        Element(group, element, vr, Encoding.ASCII.GetBytes(text), vr == "UI" ? (byte)0 : (byte)' ');

    public DicomBytesBuilder US(ushort group, ushort element, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            if (BigEndian) BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), values[i]);
            else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        return Element(group, element, "US", bytes);
    }

    public DicomBytesBuilder UL(ushort group, ushort element, uint value)
    {
        var bytes = new byte[4];
        if (BigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Element(group, element, "UL", bytes);
    }

    /// <summary>Pixel module: rows, columns, samples, bits allocated/stored/high, representation, photometric, frames.</summary>
    public DicomBytesBuilder Image(int rows, int columns, int bitsAllocated, int bitsStored, bool signed,
        string photometric = "MONOCHROME2", int frames = 1, int samples = 1, int planar = 0)
    {
        US(0x0028, 0x0002, (ushort)samples);
        Text(0x0028, 0x0004, "CS", photometric);
        if (samples > 1) US(0x0028, 0x0006, (ushort)planar);
        if (frames != 1) Text(0x0028, 0x0008, "IS", frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        US(0x0028, 0x0010, (ushort)rows);
        US(0x0028, 0x0011, (ushort)columns);
        US(0x0028, 0x0100, (ushort)bitsAllocated);
        US(0x0028, 0x0101, (ushort)bitsStored);
        US(0x0028, 0x0102, (ushort)(bitsStored - 1));
        US(0x0028, 0x0103, (ushort)(signed ? 1 : 0));
        return this;
    }

    /// <summary>Item (FFFE,E000) header with a length (use <see cref="Undefined"/> for undefined).</summary>
    public DicomBytesBuilder Item(uint length = Undefined) => Delimiter(0xE000, length);
    public DicomBytesBuilder ItemEnd() => Delimiter(0xE00D, 0);
    public DicomBytesBuilder SequenceEnd() => Delimiter(0xE0DD, 0);

    /// <summary>Encapsulated pixel data: undefined-length OB, offset table item, fragments, delimiter.</summary>
    public DicomBytesBuilder Encapsulated(uint[] offsetTable, params byte[][] fragments)
    {
        Header(0x7FE0, 0x0010, "OB", Undefined);
        var bot = new byte[offsetTable.Length * 4];
        for (var i = 0; i < offsetTable.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bot.AsSpan(4 * i), offsetTable[i]);
        Fragment(bot);
        foreach (var f in fragments) Fragment(f);
        return SequenceEnd();
    }

    public DicomBytesBuilder Raw(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _out.ToArray();

    private DicomBytesBuilder Fragment(byte[] data)
    {
        // Items of encapsulated data are always Little Endian.
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(h, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)data.Length);
        _out.Write(h);
        _out.Write(data);
        return this;
    }

    private DicomBytesBuilder Delimiter(ushort element, uint length)
    {
        U16(0xFFFE);
        U16(element);
        U32(length);
        return this;
    }

    private void U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (BigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _out.Write(b);
    }

    private void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (BigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _out.Write(b);
    }
}
