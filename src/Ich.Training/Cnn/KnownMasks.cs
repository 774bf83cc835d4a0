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
/// the scan folders, per subtype, joined by SOPInstanceUID = SliceId) and PhysioNet CT-ICH
/// (<c>&lt;slice&gt;_HGE_Seg.png</c> beside the brain-window JPG, 255 = blood, no subtype). Null for any other slice: its mask is
/// unknown and it gets no mask loss. Results are cached per slice.
/// </summary>
/// <param name="subtypes">Also keep each subtype's own mask where the dataset has one (phantoms), for <see cref="MaskChannels.Subtypes"/>.</param>
public sealed class KnownMasks(bool subtypes = false)
{
    private readonly ConcurrentDictionary<int, KnownMask?> _cache = new();
    private readonly ConcurrentDictionary<string, BleedMasks?> _phantomFiles = new();

    /// <summary>The mask of table slice <paramref name="index"/>, or null when the dataset has none for it.</summary>
    public KnownMask? Find(SliceTable table, int index) => _cache.GetOrAdd(index, i => Load(table, i));

    private KnownMask? Load(SliceTable table, int index)
    {
        var r = table.Slices[index];
        var scan = table.Scans[r.Scan];
        var slice = scan.Slices[r.Slice];
        if (slice.SourcePath is not { } source) return null;
        var size = table.ImageSize;
        if (scan.Dataset == DatasetKind.PhysioNet)
            return RealMaskPath(scan, slice) is { } png ? new KnownMask(ReadPng(png, size, table.Frame(r.Scan)), null) : null;
        if (scan.Dataset == DatasetKind.Phantom)
        {
            var root = Path.GetDirectoryName(Path.GetDirectoryName(source));
            if (root is null) return null;
            var file = Path.Combine(root, "masks", scan.ScanId + ".ichmask");
            var masks = _phantomFiles.GetOrAdd(file, f => File.Exists(f) ? BleedMaskFile.Read(f) : null);
            if (masks?.Find(slice.SliceId) is not { } found) return null;
            var frame = table.Frame(r.Scan);
            var union = new float[masks.Width * masks.Height];
            var perSubtype = subtypes ? new float[]?[5] : null;
            for (var t = 0; t < 5; t++)
            {
                var bits = found.ToBitmap(t, masks.Width, masks.Height);
                var own = perSubtype is null ? null : new float[union.Length];
                var any = false;
                for (var p = 0; p < union.Length; p++)
                    if (bits[p])
                    {
                        union[p] = 1;
                        if (own is not null) own[p] = 1;
                        any = true;
                    }
                // An empty subtype stays null (known: none of it here), which keeps the cache small.
                if (perSubtype is not null && any) perSubtype[t] = NetworkInput.MaskFromFrame(own!, masks.Width, masks.Height, size, frame);
            }
            return new KnownMask(NetworkInput.MaskFromFrame(union, masks.Width, masks.Height, size, frame), perSubtype);
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

/// <summary>A slice's known bleed mask on the network grid.</summary>
/// <param name="Blood">Blood of any subtype, [S, S] in [0, 1].</param>
/// <param name="Subtypes">
/// Where the dataset draws each subtype (phantoms, when asked for): five entries in class order, null = none of that subtype
/// on the slice. Null when only the blood is known (real masks).
/// </param>
public sealed record KnownMask(float[] Blood, float[]?[]? Subtypes);
