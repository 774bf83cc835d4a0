using Ich.Core;
using Ich.Core.Text;

namespace Ich.Imaging.Overlays;

/// <summary>
/// One saliency map of one slice and class, in the source slice's pixel grid (row-major, Width × Height),
/// on the ABSOLUTE scale 0..1 shared by all slices and scans (not normalised to its own maximum).
/// </summary>
public sealed record SaliencyMap(string SliceId, int ClassIndex, int Width, int Height, float[] Values);

/// <summary>
/// Writes the raw saliency maps of <c>ich predict --saliency-maps</c> for other tools: one 16-bit greyscale
/// PNG per map (0..65535 = saliency 0..1) named <c>&lt;slice_id&gt;_&lt;class&gt;.png</c> under
/// <c>&lt;out&gt;/saliency/&lt;scan_id&gt;/</c>. Scan and slice ids pass <see cref="SafePathSegment"/> before they
/// name a path, so a hostile id cannot leave the folder.
/// </summary>
public static class SaliencyMapFiles
{
    /// <summary>The folder of one scan's maps: <c>&lt;out&gt;/saliency/&lt;safe scan id&gt;</c>.</summary>
    public static string ScanFolder(string outDir, string scanId) =>
        Path.Combine(outDir, "saliency", SafePathSegment.From(scanId));

    /// <summary>File name of one map: <c>&lt;safe slice id&gt;_&lt;class name&gt;.png</c>.</summary>
    public static string FileName(string sliceId, int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, HemorrhageClasses.Count);
        return $"{SafePathSegment.From(sliceId)}_{HemorrhageClasses.Names[classIndex]}.png";
    }

    /// <summary>Writes every map of one scan and returns the written paths in input order.</summary>
    /// <exception cref="ArgumentException">A map whose values are not in [0, 1] (a caller that forgot the
    /// absolute scaling) or whose size does not match its values; two maps with the same file name.</exception>
    public static IReadOnlyList<string> Write(string outDir, string scanId, IEnumerable<SaliencyMap> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var folder = ScanFolder(outDir, scanId);
        var written = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var map in maps)
        {
            Validate(map);
            var name = FileName(map.SliceId, map.ClassIndex);
            if (!names.Add(name)) throw new ArgumentException($"two saliency maps would both be written as {name}", nameof(maps));
            var path = Path.Combine(folder, name);
            PngFile.WriteGray16(path, PngFile.ToGray16(map.Values), map.Width, map.Height);
            written.Add(path);
        }
        return written;
    }

    private static void Validate(SaliencyMap map)
    {
        if (map.Values.Length != (long)map.Width * map.Height)
            throw new ArgumentException($"saliency map of slice {map.SliceId}: {map.Values.Length} values for {map.Width}×{map.Height}");
        foreach (var v in map.Values)
            if (!(v >= 0f && v <= 1f))
                throw new ArgumentException($"saliency map of slice {map.SliceId}: value {v} outside the absolute scale [0, 1]");
    }
}
