using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Ich.Core.Errors;
using Ich.Dicom.Model;

namespace Ich.Dicom.Reading;

/// <summary>How the elements of a data set are encoded.</summary>
internal readonly record struct ElementEncoding(bool ExplicitVr, bool BigEndian)
{
    public static readonly ElementEncoding ImplicitLittle = new(false, false);
    public static readonly ElementEncoding ExplicitLittle = new(true, false);
}

/// <summary>Raised inside the parser when a header-only read needs more of the file than was loaded.</summary>
internal sealed class NeedMoreBytesException : Exception;

/// <summary>
/// Parses DICOM data elements from an in-memory buffer (PS3.5 §7). Values are slices of the buffer
/// (no copy) except Big Endian binary values, which are swapped into new arrays. Every length is
/// checked against the bytes remaining before it is used, so a hostile length never allocates.
/// </summary>
internal sealed class DatasetParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const int MaxDepth = 64;

    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly bool _complete;
    private readonly bool _headerOnly;
    private readonly string? _path;
    private readonly long _baseOffset;
    private int _depth;

    /// <param name="buffer">The bytes; <paramref name="length"/> of them are valid.</param>
    /// <param name="complete">False when the buffer holds only a prefix of the file (header-only reads).</param>
    /// <param name="headerOnly">Stop at the first top-level element at or after (7FE0,0008).</param>
    /// <param name="path">File named in errors.</param>
    /// <param name="baseOffset">File offset of buffer[0], for error messages.</param>
    public DatasetParser(byte[] buffer, int length, bool complete, bool headerOnly, string? path, long baseOffset = 0)
    {
        _buffer = buffer;
        _length = length;
        _complete = complete;
        _headerOnly = headerOnly;
        _path = path;
        _baseOffset = baseOffset;
    }

    /// <summary>Where a header-only parse stopped (the pixel data element), or -1.</summary>
    public long StoppedAt { get; private set; } = -1;

    /// <summary>Parses the file meta group (always Explicit VR Little Endian) starting at <paramref name="pos"/>.</summary>
    public int ParseFileMeta(DicomDataset meta, int pos)
    {
        while (pos + 8 <= _length && BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(pos)) == 0x0002)
            pos = ParseElement(meta, pos, _length, ElementEncoding.ExplicitLittle, topLevel: false);
        if (pos + 8 > _length && !_complete) throw new NeedMoreBytesException();
        return pos;
    }

    /// <summary>Parses the main data set from <paramref name="pos"/> to the end of the buffer.</summary>
    public void ParseTopLevel(DicomDataset dataset, int pos, ElementEncoding encoding)
    {
        while (pos < _length)
        {
            var remaining = _length - pos;
            if (remaining < 8 && _complete)
            {
                // A few stray bytes after the last element: zeros are padding, anything else is truncation.
                if (_buffer.AsSpan(pos, remaining).IndexOfAnyExcept((byte)0) < 0) return;
                Fail($"{remaining} trailing bytes do not form a data element (file truncated?)", pos);
            }
            if (_headerOnly)
            {
                Need(pos, 4, _length);
                var tag = ReadTag(pos, encoding.BigEndian);
                if (tag.Value >= DicomTags.FloatPixelData.Value && tag.Group != 0xFFFE)
                {
                    StoppedAt = _baseOffset + pos;
                    return;
                }
            }
            pos = ParseElement(dataset, pos, _length, encoding, topLevel: true);
        }
        if (!_complete) throw new NeedMoreBytesException();
    }

    /// <summary>Parses one element at <paramref name="pos"/> into <paramref name="target"/>; returns the position after it.</summary>
    private int ParseElement(DicomDataset target, int pos, int end, ElementEncoding enc, bool topLevel)
    {
        var start = pos;
        Need(pos, 8, end);
        var tag = ReadTag(pos, enc.BigEndian);
        if (tag.Group == 0xFFFE)
        {
            // Delimiters outside their place: an item delimiter after a defined-length item is tolerated
            // (some writers emit both); anything else is structural damage.
            if (tag == DicomTags.ItemDelimitationItem) return pos + 8;
            Fail($"unexpected {DescribeDelimiter(tag)} inside a data set", pos);
        }

        DicomVR vr;
        uint length;
        if (enc.ExplicitVr)
        {
            var a = _buffer[pos + 4];
            var b = _buffer[pos + 5];
            if (DicomVRInfo.TryParse(a, b, out vr))
            {
                if (DicomVRInfo.HasLongLength(vr))
                {
                    Need(pos, 12, end);
                    length = ReadU32(pos + 8, enc.BigEndian);
                    pos += 12;
                }
                else
                {
                    length = ReadU16(pos + 6, enc.BigEndian);
                    pos += 8;
                }
            }
            else if (a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z')
            {
                // A VR this reader does not know: PS3.5 §7.1.2 gives new VRs the 32-bit length form.
                Need(pos, 12, end);
                vr = DicomVR.UN;
                length = ReadU32(pos + 8, enc.BigEndian);
                pos += 12;
            }
            else
            {
                Fail($"element {tag} has invalid VR bytes 0x{a:X2}{b:X2}", pos + 4);
                return 0;
            }
        }
        else
        {
            vr = ImplicitVrDictionary.Lookup(tag);
            length = ReadU32(pos + 4, enc.BigEndian);
            pos += 8;
        }

        // Elements written as UN (or implicitly) whose VR the dictionary knows get that VR back.
        var dictionaryVr = vr == DicomVR.UN ? ImplicitVrDictionary.Lookup(tag) : vr;

        DicomElement element;
        if (length == UndefinedLength)
        {
            if (tag == DicomTags.PixelData)
            {
                var fragments = ParseFragments(ref pos, end);
                element = new DicomElement(tag, vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB, ReadOnlyMemory<byte>.Empty)
                    { Fragments = fragments, FileOffset = _baseOffset + start };
            }
            else if (vr == DicomVR.SQ || vr == DicomVR.UN || !enc.ExplicitVr)
            {
                // UN of undefined length holds Implicit VR Little Endian content (PS3.5 §6.2.2).
                var itemEncoding = vr == DicomVR.UN ? ElementEncoding.ImplicitLittle : enc;
                var items = ParseUndefinedSequence(ref pos, end, itemEncoding, tag);
                element = new DicomElement(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty) { Items = items, FileOffset = _baseOffset + start };
            }
            else
            {
                Fail($"element {tag} ({vr}) has undefined length, which only sequences and pixel data may have", start);
                return 0;
            }
        }
        else
        {
            if (length > (uint)(end - pos))
            {
                if (!_complete && end == _length) throw new NeedMoreBytesException();
                Fail($"element {tag} ({vr}) claims {length} bytes but only {end - pos} remain", start);
            }
            var valueEnd = pos + (int)length;
            if (vr == DicomVR.SQ)
            {
                var items = ParseDefinedSequence(pos, valueEnd, enc, tag);
                element = new DicomElement(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty) { Items = items, FileOffset = _baseOffset + start };
            }
            else if (dictionaryVr == DicomVR.SQ || (vr == DicomVR.UN && LooksLikeItem(pos, valueEnd)))
            {
                // A sequence written as UN (or an implicit private sequence): its content is Implicit VR LE.
                var itemEncoding = enc.ExplicitVr ? ElementEncoding.ImplicitLittle : enc;
                var items = TryParseDefinedSequence(pos, valueEnd, itemEncoding, tag);
                element = items is null
                    ? new DicomElement(tag, vr, Slice(tag, pos, (int)length, vr, enc, target)) { FileOffset = _baseOffset + start }
                    : new DicomElement(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty) { Items = items, FileOffset = _baseOffset + start };
            }
            else
            {
                var finalVr = dictionaryVr;
                element = new DicomElement(tag, finalVr, Slice(tag, pos, (int)length, finalVr, enc, target)) { FileOffset = _baseOffset + start };
            }
            pos = valueEnd;
        }
        target.Set(element);
        return pos;
    }

    private List<DicomDataset> ParseUndefinedSequence(ref int pos, int end, ElementEncoding enc, DicomTag owner)
    {
        Enter(pos);
        var items = new List<DicomDataset>();
        while (true)
        {
            if (pos + 8 > end)
            {
                if (!_complete) throw new NeedMoreBytesException();
                Fail($"sequence {owner} of undefined length is not terminated (file truncated?)", pos);
            }
            var tag = ReadTag(pos, enc.BigEndian);
            var length = ReadU32(pos + 4, enc.BigEndian);
            if (tag == DicomTags.SequenceDelimitationItem)
            {
                pos += 8;
                break;
            }
            items.Add(ParseItem(ref pos, end, enc, tag, length, owner));
        }
        _depth--;
        return items;
    }

    private List<DicomDataset> ParseDefinedSequence(int pos, int end, ElementEncoding enc, DicomTag owner)
    {
        Enter(pos);
        var items = new List<DicomDataset>();
        while (pos < end)
        {
            Need(pos, 8, end);
            var tag = ReadTag(pos, enc.BigEndian);
            var length = ReadU32(pos + 4, enc.BigEndian);
            if (tag == DicomTags.SequenceDelimitationItem)
            {
                pos += 8; // redundant delimiter inside a defined-length sequence
                continue;
            }
            items.Add(ParseItem(ref pos, end, enc, tag, length, owner));
        }
        _depth--;
        return items;
    }

    private List<DicomDataset>? TryParseDefinedSequence(int pos, int end, ElementEncoding enc, DicomTag owner)
    {
        var depth = _depth;
        try
        {
            return ParseDefinedSequence(pos, end, enc, owner);
        }
        catch (DicomFormatException)
        {
            _depth = depth;
            return null; // not a sequence after all: keep the raw bytes
        }
    }

    private DicomDataset ParseItem(ref int pos, int end, ElementEncoding enc, DicomTag tag, uint length, DicomTag owner)
    {
        if (tag != DicomTags.Item)
            Fail($"sequence {owner}: expected an item (FFFE,E000), found {tag}", pos);
        var itemStart = pos;
        pos += 8;
        var item = new DicomDataset();
        if (length == UndefinedLength)
        {
            while (true)
            {
                if (pos + 8 > end)
                {
                    if (!_complete) throw new NeedMoreBytesException();
                    Fail($"item of sequence {owner} is not terminated by an item delimiter", itemStart);
                }
                var next = ReadTag(pos, enc.BigEndian);
                if (next == DicomTags.ItemDelimitationItem)
                {
                    pos += 8;
                    break;
                }
                if (next == DicomTags.SequenceDelimitationItem)
                    Fail($"sequence {owner} ends inside an item", pos);
                pos = ParseElement(item, pos, end, enc, topLevel: false);
            }
        }
        else
        {
            if (length > (uint)(end - pos))
            {
                if (!_complete && end == _length) throw new NeedMoreBytesException();
                Fail($"item of sequence {owner} claims {length} bytes but only {end - pos} remain", itemStart);
            }
            var itemEnd = pos + (int)length;
            while (pos < itemEnd) pos = ParseElement(item, pos, itemEnd, enc, topLevel: false);
        }
        return item;
    }

    /// <summary>Encapsulated pixel data (PS3.5 §A.4): items until the sequence delimiter; item 0 is the Basic Offset Table.</summary>
    private List<ReadOnlyMemory<byte>> ParseFragments(ref int pos, int end)
    {
        var fragments = new List<ReadOnlyMemory<byte>>();
        while (true)
        {
            if (pos + 8 > end)
            {
                if (!_complete) throw new NeedMoreBytesException();
                Fail($"encapsulated pixel data is not terminated by a sequence delimiter after {fragments.Count} items (file truncated?)", pos);
            }
            // Encapsulated syntaxes are always Little Endian.
            var tag = ReadTag(pos, bigEndian: false);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(pos + 4));
            if (tag == DicomTags.SequenceDelimitationItem)
            {
                pos += 8;
                return fragments;
            }
            if (tag != DicomTags.Item)
                Fail($"encapsulated pixel data: expected a fragment item, found {tag}", pos);
            if (length > (uint)(end - pos - 8))
            {
                if (!_complete) throw new NeedMoreBytesException();
                Fail($"pixel data fragment {fragments.Count} claims {length} bytes but only {end - pos - 8} remain (file truncated?)", pos);
            }
            fragments.Add(new ReadOnlyMemory<byte>(_buffer, pos + 8, (int)length));
            pos += 8 + (int)length;
        }
    }

    private bool LooksLikeItem(int pos, int end) =>
        end - pos >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(pos)) == 0xE000FFFE;

    /// <summary>The value bytes: a slice of the buffer, or a byte-swapped copy for Big Endian binary VRs.</summary>
    private ReadOnlyMemory<byte> Slice(DicomTag tag, int pos, int length, DicomVR vr, ElementEncoding enc, DicomDataset owner)
    {
        if (!enc.BigEndian || length == 0) return new ReadOnlyMemory<byte>(_buffer, pos, length);
        int unit;
        if (vr == DicomVR.AT) unit = 2; // a pair of 16-bit numbers
        else if (tag == DicomTags.PixelData && vr == DicomVR.OW)
            unit = owner.GetInt(DicomTags.BitsAllocated) is { } ba && ba >= 16 ? ba / 8 : 1; // samples, not words
        else unit = DicomVRInfo.ValueSize(vr);
        if (unit <= 1) return new ReadOnlyMemory<byte>(_buffer, pos, length);
        var copy = _buffer.AsSpan(pos, length).ToArray();
        var whole = length - length % unit;
        for (var i = 0; i < whole; i += unit) copy.AsSpan(i, unit).Reverse();
        return copy;
    }

    private DicomTag ReadTag(int pos, bool bigEndian)
    {
        var span = _buffer.AsSpan(pos, 4);
        return bigEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(span), BinaryPrimitives.ReadUInt16BigEndian(span[2..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..]));
    }

    private uint ReadU32(int pos, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(pos, 4))
        : BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(pos, 4));

    private ushort ReadU16(int pos, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(pos, 2))
        : BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(pos, 2));

    private void Need(int pos, int count, int end)
    {
        if (pos + count <= end) return;
        if (!_complete && end == _length) throw new NeedMoreBytesException();
        Fail($"data ends inside an element header ({end - pos} of {count} bytes present; file truncated?)", pos);
    }

    private void Enter(int pos)
    {
        if (++_depth > MaxDepth) Fail($"sequences nested deeper than {MaxDepth} levels", pos);
    }

    private static string DescribeDelimiter(DicomTag tag) =>
        tag == DicomTags.Item ? "item tag (FFFE,E000)"
        : tag == DicomTags.SequenceDelimitationItem ? "sequence delimiter (FFFE,E0DD)"
        : $"delimiter {tag}";

    [DoesNotReturn]
    private void Fail(string reason, int pos) => throw new DicomFormatException(reason, _path, _baseOffset + pos);
}
