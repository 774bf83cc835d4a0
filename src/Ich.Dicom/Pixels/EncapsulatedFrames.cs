using System.Buffers.Binary;
using Ich.Core.Errors;

namespace Ich.Dicom.Pixels;

/// <summary>The data fragments (indices into the fragment list without the offset table) of one frame.</summary>
public readonly record struct FragmentRange(int First, int Count);

/// <summary>
/// Splits encapsulated pixel data (PS3.5 §A.4) into frames: by the Extended Offset Table, else the
/// Basic Offset Table, else one fragment per frame when the counts agree, else by the fragments that
/// begin a JPEG / JPEG 2000 / RLE codestream (an empty offset table with frames over several fragments).
/// </summary>
public static class EncapsulatedFrames
{
    /// <param name="fragments">All items in file order; item 0 is the Basic Offset Table (possibly empty).</param>
    /// <param name="frames">NumberOfFrames.</param>
    /// <param name="extendedOffsets">Extended Offset Table (7FE0,0001) values, or null.</param>
    /// <param name="path">File named in errors.</param>
    public static FragmentRange[] Split(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int frames, ulong[]? extendedOffsets, string? path)
    {
        var dataCount = fragments.Count - 1;
        if (dataCount < 1) throw new DicomFormatException("encapsulated pixel data has no fragments", path);
        if (frames == 1) return [new FragmentRange(0, dataCount)];

        if (extendedOffsets is { Length: > 0 }) return FromOffsets(fragments, frames, extendedOffsets, "Extended Offset Table", path);
        var bot = fragments[0].Span;
        if (bot.Length >= 4)
        {
            if (bot.Length % 4 != 0) throw new DicomFormatException($"Basic Offset Table length {bot.Length} is not a multiple of 4", path);
            var offsets = new ulong[bot.Length / 4];
            for (var i = 0; i < offsets.Length; i++) offsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(bot[(i * 4)..]);
            return FromOffsets(fragments, frames, offsets, "Basic Offset Table", path);
        }
        if (dataCount == frames)
        {
            var one = new FragmentRange[frames];
            for (var i = 0; i < frames; i++) one[i] = new FragmentRange(i, 1);
            return one;
        }
        return FromCodestreamStarts(fragments, frames, path);
    }

    private static FragmentRange[] FromOffsets(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int frames, ulong[] offsets, string table, string? path)
    {
        if (offsets.Length != frames)
            throw new DicomFormatException($"{table} has {offsets.Length} entries for {frames} frames", path);
        // Offsets count from the first byte of the first fragment item's tag (8-byte item headers included).
        var starts = new int[frames];
        ulong position = 0;
        var fragment = 0;
        var dataCount = fragments.Count - 1;
        for (var f = 0; f < frames; f++)
        {
            while (fragment < dataCount && position < offsets[f])
            {
                position += 8 + (ulong)fragments[fragment + 1].Length;
                fragment++;
            }
            if (position != offsets[f] || fragment >= dataCount || (f > 0 && fragment <= starts[f - 1]))
                throw new DicomFormatException($"{table} entry {f} (offset {offsets[f]}) does not point at the start of a fragment", path);
            starts[f] = fragment;
        }
        return ToRanges(starts, dataCount);
    }

    private static FragmentRange[] FromCodestreamStarts(IReadOnlyList<ReadOnlyMemory<byte>> fragments, int frames, string? path)
    {
        var starts = new List<int>();
        for (var i = 1; i < fragments.Count; i++)
            if (StartsCodestream(fragments[i].Span)) starts.Add(i - 1);
        if (starts.Count != frames || starts[0] != 0)
            throw new DicomFormatException(
                $"cannot split {fragments.Count - 1} fragments into {frames} frames: the offset table is empty and {starts.Count} fragments begin a codestream", path);
        return ToRanges(starts.ToArray(), fragments.Count - 1);
    }

    private static FragmentRange[] ToRanges(int[] starts, int dataCount)
    {
        var ranges = new FragmentRange[starts.Length];
        for (var f = 0; f < starts.Length; f++)
        {
            var end = f + 1 < starts.Length ? starts[f + 1] : dataCount;
            ranges[f] = new FragmentRange(starts[f], end - starts[f]);
        }
        return ranges;
    }

    /// <summary>JPEG SOI, JPEG 2000 codestream SOC+SIZ, JP2 signature box, or an RLE header (PS3.5 §G.5).</summary>
    private static bool StartsCodestream(ReadOnlySpan<byte> s)
    {
        if (s.Length >= 3 && s[0] == 0xFF && s[1] == 0xD8 && s[2] == 0xFF) return true;
        if (s.Length >= 4 && s[0] == 0xFF && s[1] == 0x4F && s[2] == 0xFF && s[3] == 0x51) return true;
        if (s.Length >= 12 && s[..12].SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 12, (byte)'j', (byte)'P', 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A])) return true;
        if (s.Length >= 64)
        {
            var segments = BinaryPrimitives.ReadUInt32LittleEndian(s);
            return segments is >= 1 and <= 15 && BinaryPrimitives.ReadUInt32LittleEndian(s[4..]) == 64;
        }
        return false;
    }
}
