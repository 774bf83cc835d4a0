using System.Buffers.Binary;

namespace Ich.Dicom.Tests.Codecs;

/// <summary>
/// Test-only: pulls the compressed frames out of a Part-10 file by locating the encapsulated Pixel Data
/// element (7FE0,0010 OB, undefined length) and its items, so that the codecs can be tested on real
/// files independently of the reader. Splits frames by the Basic Offset Table, else one fragment per
/// frame, else at fragments that start with a JPEG SOI marker.
/// </summary>
internal static class EncapsulatedFrames
{
    private static readonly byte[] Undefined = [0xFF, 0xFF, 0xFF, 0xFF];

    public static List<byte[]> Read(string path, int frameCount)
    {
        var file = File.ReadAllBytes(path);
        int pos = -1;
        for (int at = 0; at + 8 <= file.Length; at++)
        {
            if (file[at] != 0xE0 || file[at + 1] != 0x7F || file[at + 2] != 0x10 || file[at + 3] != 0x00) continue;
            var rest = file.AsSpan(at + 4);
            if (rest.Length >= 8 && rest[2] == 0 && rest[3] == 0 && rest[4..8].SequenceEqual(Undefined)) pos = at + 12; // explicit OB/OW
            else if (rest[..4].SequenceEqual(Undefined)) pos = at + 8;                                                  // implicit
        }
        if (pos < 0) throw new InvalidOperationException($"{path}: no encapsulated pixel data element");
        var items = new List<(int Offset, byte[] Bytes)>();
        while (pos + 8 <= file.Length)
        {
            ushort group = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos)), element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 2));
            int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(pos + 4));
            if (group != 0xFFFE) throw new InvalidOperationException($"{path}: item tag expected at {pos}");
            if (element == 0xE0DD) break;
            items.Add((pos, file.AsSpan(pos + 8, length).ToArray()));
            pos += 8 + length;
        }
        var bot = items[0].Bytes;
        var fragments = items.Skip(1).ToList();
        var frames = new List<byte[]>();
        if (bot.Length >= 4 * frameCount && frameCount > 1)
        {
            int first = fragments[0].Offset;
            var offsets = Enumerable.Range(0, frameCount).Select(i => (int)BinaryPrimitives.ReadUInt32LittleEndian(bot.AsSpan(4 * i))).ToList();
            for (int f = 0; f < frameCount; f++)
            {
                int lo = first + offsets[f], hi = f + 1 < frameCount ? first + offsets[f + 1] : int.MaxValue;
                frames.Add(Join(fragments.Where(x => x.Offset >= lo && x.Offset < hi)));
            }
        }
        else if (fragments.Count == frameCount)
        {
            frames.AddRange(fragments.Select(x => x.Bytes));
        }
        else if (frameCount == 1)
        {
            frames.Add(Join(fragments));
        }
        else
        {
            var current = new List<(int, byte[])>();
            foreach (var fragment in fragments)
            {
                if (current.Count > 0 && fragment.Bytes is [0xFF, 0xD8, ..]) { frames.Add(Join(current)); current.Clear(); }
                current.Add(fragment);
            }
            frames.Add(Join(current));
        }
        return frames;
    }

    private static byte[] Join(IEnumerable<(int Offset, byte[] Bytes)> fragments) => fragments.SelectMany(f => f.Bytes).ToArray();
}
