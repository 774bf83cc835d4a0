using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Ich.Dicom.Model;

namespace Ich.Dicom.Writing;

/// <summary>
/// Factories for elements with correctly encoded values (little-endian binary, Latin-1 text,
/// backslash-separated multiple values). Values are stored unpadded; the writer pads to even length.
/// </summary>
public static class DicomElements
{
    /// <summary>A text element (any character-string VR); several values are joined with '\'.</summary>
    public static DicomElement Text(DicomTag tag, DicomVR vr, params string[] values)
    {
        if (!DicomVRInfo.IsText(vr)) throw new ArgumentException($"{vr} is not a text VR", nameof(vr));
        var text = string.Join('\\', values);
        return new DicomElement(tag, vr, Encoding.Latin1.GetBytes(text));
    }

    /// <summary>An element with no value (a Type 2 attribute that is present but empty).</summary>
    public static DicomElement Empty(DicomTag tag, DicomVR vr) => new(tag, vr, ReadOnlyMemory<byte>.Empty);

    /// <summary>A UI element; the UID is validated.</summary>
    public static DicomElement Uid(DicomTag tag, string uid)
    {
        if (!DicomUids.IsValid(uid)) throw new ArgumentException($"'{uid}' is not a valid UID", nameof(uid));
        return Text(tag, DicomVR.UI, uid);
    }

    /// <summary>A DS element; each value is formatted in at most 16 characters (PS3.5 Table 6.2-1).</summary>
    public static DicomElement Decimal(DicomTag tag, params double[] values) =>
        Text(tag, DicomVR.DS, values.Select(FormatDecimal).ToArray());

    /// <summary>An IS element.</summary>
    public static DicomElement Integer(DicomTag tag, params int[] values) =>
        Text(tag, DicomVR.IS, values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());

    public static DicomElement UInt16(DicomTag tag, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return new DicomElement(tag, DicomVR.US, bytes);
    }

    public static DicomElement Int16(DicomTag tag, params short[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return new DicomElement(tag, DicomVR.SS, bytes);
    }

    public static DicomElement UInt32(DicomTag tag, params uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return new DicomElement(tag, DicomVR.UL, bytes);
    }

    /// <summary>A binary element with raw little-endian bytes (OB, OW, UN, ...).</summary>
    public static DicomElement Bytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) => new(tag, vr, bytes);

    /// <summary>16-bit native pixel data (OW) from signed or unsigned samples.</summary>
    public static DicomElement PixelData16(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        return new DicomElement(DicomTags.PixelData, DicomVR.OW, bytes);
    }

    /// <summary>A sequence (SQ) of the given items; an empty list writes an empty sequence.</summary>
    public static DicomElement Sequence(DicomTag tag, params DicomDataset[] items) =>
        new(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty) { Items = items.ToList() };

    /// <summary>
    /// Formats a decimal string of at most 16 characters: the shortest round-trip form when it fits,
    /// else fewer significant digits.
    /// </summary>
    public static string FormatDecimal(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException("DS values must be finite", nameof(value));
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        for (var digits = 15; s.Length > 16 && digits > 0; digits--)
            s = value.ToString("G" + digits, CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>Adds or replaces several elements at once.</summary>
    public static DicomDataset With(this DicomDataset dataset, params DicomElement[] elements)
    {
        foreach (var e in elements) dataset.Set(e);
        return dataset;
    }
}
