using System.Text;
using Ich.Core.Errors;

namespace Ich.Synth.Output;

/// <summary>
/// Per-slice bleed masks of one scan, per subtype, as run-length-encoded bit masks (the ".ichmask"
/// format documented in docs/phantoms.md). Little-endian throughout:
/// <code>
/// "ICHMASK1"                      8 ASCII bytes
/// int32 width, int32 height       pixels (columns, rows)
/// int32 sliceCount
/// float64 pixelSpacingMm
/// per slice (ascending slice position):
///   uint16 n, n ASCII bytes       SOPInstanceUID of the slice's DICOM file
///   per subtype in the order epidural, intraparenchymal, intraventricular, subarachnoid, subdural:
///     int32 runCount, then runCount × (int32 start, int32 length)
///     start = row × width + column of the first pixel of a run of mask pixels (row-major, rows top
///     to bottom as stored in the DICOM file); runs ascending, non-overlapping, non-adjacent.
/// </code>
/// </summary>
public static class BleedMaskFile
{
    public const string Magic = "ICHMASK1";

    /// <summary>Subtype names in file order (HemorrhageClasses.Names without "any").</summary>
    public static readonly IReadOnlyList<string> SubtypeNames = ["epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"];

    public static void Write(string path, BleedMasks masks)
    {
        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.ASCII);
        w.Write(Encoding.ASCII.GetBytes(Magic));
        w.Write(masks.Width);
        w.Write(masks.Height);
        w.Write(masks.Slices.Count);
        w.Write(masks.PixelSpacingMm);
        foreach (var slice in masks.Slices)
        {
            var sop = Encoding.ASCII.GetBytes(slice.SopInstanceUid);
            w.Write((ushort)sop.Length);
            w.Write(sop);
            for (var t = 0; t < 5; t++)
            {
                var runs = slice.Runs[t];
                w.Write(runs.Length);
                foreach (var (start, length) in runs) { w.Write(start); w.Write(length); }
            }
        }
    }

    /// <summary>Reads a mask file; a malformed file raises a <see cref="DatasetFormatException"/> naming it.</summary>
    public static BleedMasks Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var r = new BinaryReader(stream, Encoding.ASCII);
            if (Encoding.ASCII.GetString(r.ReadBytes(8)) != Magic) throw new DatasetFormatException("not an ICHMASK1 file", path);
            var width = r.ReadInt32();
            var height = r.ReadInt32();
            var count = r.ReadInt32();
            var spacing = r.ReadDouble();
            if (width <= 0 || height <= 0 || count < 0) throw new DatasetFormatException($"bad header {width}x{height}x{count}", path);
            var slices = new List<SliceMasks>(count);
            for (var s = 0; s < count; s++)
            {
                var sop = Encoding.ASCII.GetString(r.ReadBytes(r.ReadUInt16()));
                var runs = new (int Start, int Length)[5][];
                for (var t = 0; t < 5; t++)
                {
                    var n = r.ReadInt32();
                    if (n < 0 || n > width * height) throw new DatasetFormatException($"slice {s}: bad run count {n}", path);
                    runs[t] = new (int, int)[n];
                    var end = 0;
                    for (var i = 0; i < n; i++)
                    {
                        var start = r.ReadInt32(); var length = r.ReadInt32();
                        if (start < end || length <= 0 || start + length > width * height)
                            throw new DatasetFormatException($"slice {s} {SubtypeNames[t]}: bad run ({start}, {length})", path);
                        runs[t][i] = (start, length);
                        end = start + length;
                    }
                }
                slices.Add(new SliceMasks(sop, runs));
            }
            return new BleedMasks(width, height, spacing, slices);
        }
        catch (EndOfStreamException e) { throw new DatasetFormatException("truncated mask file", path, null, e); }
        catch (IOException e) { throw new DatasetFormatException($"cannot read: {e.Message}", path, null, e); }
    }
}

/// <summary>All slices' masks of one scan.</summary>
/// <param name="PixelSpacingMm">In-plane pixel size, so areas can be given in mm².</param>
public sealed record BleedMasks(int Width, int Height, double PixelSpacingMm, IReadOnlyList<SliceMasks> Slices)
{
    /// <summary>The slice with this SOPInstanceUID, or null.</summary>
    public SliceMasks? Find(string sopInstanceUid) => Slices.FirstOrDefault(s => s.SopInstanceUid == sopInstanceUid);
}

/// <summary>One slice's run-length masks, one run list per subtype (file order).</summary>
public sealed record SliceMasks(string SopInstanceUid, (int Start, int Length)[][] Runs)
{
    /// <summary>Number of mask pixels of subtype <paramref name="subtype"/> (0 = epidural … 4 = subdural).</summary>
    public int PixelCount(int subtype) => Runs[subtype].Sum(r => r.Length);

    /// <summary>The mask of one subtype as a row-major width × height bitmap.</summary>
    public bool[] ToBitmap(int subtype, int width, int height)
    {
        var bitmap = new bool[width * height];
        foreach (var (start, length) in Runs[subtype]) Array.Fill(bitmap, true, start, length);
        return bitmap;
    }

    /// <summary>Union of all subtypes (the "any" mask) as a bitmap.</summary>
    public bool[] AnyBitmap(int width, int height)
    {
        var bitmap = new bool[width * height];
        for (var t = 0; t < 5; t++) foreach (var (start, length) in Runs[t]) Array.Fill(bitmap, true, start, length);
        return bitmap;
    }

    /// <summary>Runs of the pixels whose mask byte has bit <paramref name="bit"/> set.</summary>
    public static (int Start, int Length)[] Encode(byte[] mask, int bit)
    {
        var runs = new List<(int, int)>();
        var i = 0;
        while (i < mask.Length)
        {
            if (((mask[i] >> bit) & 1) == 0) { i++; continue; }
            var start = i;
            while (i < mask.Length && ((mask[i] >> bit) & 1) == 1) i++;
            runs.Add((start, i - start));
        }
        return runs.ToArray();
    }
}
