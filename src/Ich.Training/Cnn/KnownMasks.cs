using System.Collections.Concurrent;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Imaging;
using Ich.Synth.Output;
using SkiaSharp;

namespace Ich.Training.Cnn;

/// <summary>
/// Bleed masks of positive training slices where a dataset has them, resized to the network grid
/// ([S, S] in [0, 1], the same anti-aliased resize through the same frame as the image, <see cref="SliceTable.Frame"/>): phantoms (<c>masks/&lt;scan_id&gt;.ichmask</c> beside
/// the scan folders, all subtypes together, joined by SOPInstanceUID = SliceId) and PhysioNet CT-ICH
/// (<c>&lt;slice&gt;_HGE_Seg.png</c> beside the brain-window JPG, 255 = blood). Null for any other slice: its mask is
/// unknown and it gets no mask loss. Results are cached per slice.
/// </summary>
public sealed class KnownMasks
{
    private readonly ConcurrentDictionary<int, float[]?> _cache = new();
    private readonly ConcurrentDictionary<string, BleedMasks?> _phantomFiles = new();

    /// <summary>The mask of table slice <paramref name="index"/>, or null when the dataset has none for it.</summary>
    public float[]? Find(SliceTable table, int index) => _cache.GetOrAdd(index, i => Load(table, i));

    private float[]? Load(SliceTable table, int index)
    {
        var r = table.Slices[index];
        var scan = table.Scans[r.Scan];
        var slice = scan.Slices[r.Slice];
        if (slice.SourcePath is not { } source) return null;
        var size = table.ImageSize;
        if (scan.Dataset == DatasetKind.PhysioNet)
            return RealMaskPath(scan, slice) is { } png ? ReadPng(png, size, table.Frame(r.Scan)) : null;
        if (scan.Dataset == DatasetKind.Phantom)
        {
            var root = Path.GetDirectoryName(Path.GetDirectoryName(source));
            if (root is null) return null;
            var file = Path.Combine(root, "masks", scan.ScanId + ".ichmask");
            var masks = _phantomFiles.GetOrAdd(file, f => File.Exists(f) ? BleedMaskFile.Read(f) : null);
            if (masks?.Find(slice.SliceId) is not { } found) return null;
            var union = new float[masks.Width * masks.Height];
            for (var t = 0; t < 5; t++)
            {
                var bits = found.ToBitmap(t, masks.Width, masks.Height);
                for (var p = 0; p < union.Length; p++) if (bits[p]) union[p] = 1;
            }
            return NetworkInput.MaskFromFrame(union, masks.Width, masks.Height, size, table.Frame(r.Scan));
        }
        return null;
    }

    /// <summary>The real blood mask file of a slice (PhysioNet: <c>&lt;slice&gt;_HGE_Seg.png</c> beside its JPG), or null.</summary>
    public static string? RealMaskPath(ScanRecord scan, SliceRecord slice)
    {
        if (scan.Dataset != DatasetKind.PhysioNet || slice.SourcePath is not { } source
            || !source.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)) return null;
        var png = source[..^4] + "_HGE_Seg.png";
        return File.Exists(png) ? png : null;
    }

    private static float[] ReadPng(string path, int size, HeadFrame frame)
    {
        var values = ReadMaskPixels(path, out var width, out var height);
        return NetworkInput.MaskFromFrame(values, width, height, size, frame);
    }

    /// <summary>A mask PNG at its own size, 1 = blood (any channel ≥ 128).</summary>
    public static float[] ReadMaskPixels(string path, out int width, out int height)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new ImageFormatException("cannot decode the mask PNG", path);
        if (bitmap.Width is < 8 or > 4096 || bitmap.Height is < 8 or > 4096)
            throw new ImageFormatException($"mask is {bitmap.Width}×{bitmap.Height}, outside 8–4096 px", path);
        var values = new float[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                values[y * bitmap.Width + x] = Math.Max(c.Red, Math.Max(c.Green, c.Blue)) >= 128 ? 1f : 0f;
            }
        (width, height) = (bitmap.Width, bitmap.Height);
        return values;
    }
}
