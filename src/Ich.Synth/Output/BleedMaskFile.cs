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

    /// <summary>Largest width or height accepted: far beyond any CT matrix, small enough that width × height cannot overflow.</summary>
    public const int MaxSide = 16384;

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
            if (width is <= 0 or > MaxSide || height is <= 0 or > MaxSide || count < 0 || !(spacing > 0 && double.IsFinite(spacing)))
                throw new DatasetFormatException($"bad header {width}x{height}x{count}, spacing {spacing}", path);
            var slices = new List<SliceMasks>(count);
            for (var s = 0; s < count; s++)
            {
                var sop = Encoding.ASCII.GetString(r.ReadBytes(r.ReadUInt16()));
                var runs = new (int Start, int Length)[5][];
                for (var t = 0; t < 5; t++)
                {
                    var n = r.ReadInt32();
                    // Each run takes 8 bytes of the file: a count the rest of the file cannot hold is corrupt, not an allocation.
                    if (n < 0 || n > width * height || n > (stream.Length - stream.Position) / 8)
                        throw new DatasetFormatException($"slice {s}: bad run count {n}", path);
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

    /// <summary>
    /// Bleed area per slice (by SOPInstanceUID) of every <c>.ichmask</c> file in a folder (<c>ich synth</c>'s <c>masks/</c>),
    /// in mm² in the <see cref="Ich.Core.HemorrhageClasses"/> order: "any" is the union of the subtypes, not their sum.
    /// A missing folder, a folder without mask files, or a malformed file raises a <see cref="DatasetFormatException"/>.
    /// </summary>
    public static Dictionary<string, double[]> AreasMm2(string folder)
    {
        if (!Directory.Exists(folder)) throw new DatasetFormatException("no such folder of .ichmask files", folder);
        var files = Directory.EnumerateFiles(folder, "*.ichmask").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DatasetFormatException("the folder holds no .ichmask file (ich synth writes them to <out>/masks)", folder);
        var areas = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var masks = Read(file);
            var pixelMm2 = masks.PixelSpacingMm * masks.PixelSpacingMm;
            foreach (var slice in masks.Slices)
            {
                var perClass = new double[1 + SubtypeNames.Count];
                perClass[0] = slice.UnionPixelCount() * pixelMm2;
                for (var t = 0; t < SubtypeNames.Count; t++) perClass[1 + t] = slice.PixelCount(t) * pixelMm2;
                if (!areas.TryAdd(slice.SopInstanceUid, perClass))
                    throw new DatasetFormatException($"slice {slice.SopInstanceUid} appears in two mask files", file);
            }
        }
        return areas;
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

    /// <summary>Pixels in the union of all subtypes (subtypes can overlap where bleeds meet), without a bitmap.</summary>
    public int UnionPixelCount()
    {
        var count = 0;
        var end = int.MinValue; // end (exclusive) of the merged interval counted so far
        foreach (var (start, length) in Runs.SelectMany(r => r).OrderBy(r => r.Start))
        {
            var runEnd = start + length;
            if (runEnd <= end) continue;
            count += runEnd - Math.Max(start, end);
            end = runEnd;
        }
        return count;
    }

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
