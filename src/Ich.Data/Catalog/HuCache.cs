using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Data.Catalog;

/// <summary>
/// An on-disk cache of decoded HU slices, so that training epochs do not decode JPG pairs, gzip'd
/// NIfTI volumes or DICOM again. Each slice is one file of 16-bit HU·4 (0.25 HU steps, range
/// −8192..+8191.75 HU, rounded to nearest; NaN cannot occur because every reader maps it to air) with
/// a small header (magic, width, height, pixel spacing, and a fingerprint of the source file: length +
/// last-write time). A stale or damaged entry is rebuilt from the source; the source is never touched.
/// Size: 2 bytes per pixel (650×650 JPG pair → 845 KB instead of two 60 KB JPGs + 6 ms of decoding).
/// </summary>
public sealed class HuCache
{
    private const uint Magic = 0x31435548; // "HUC1"
    private const int HeaderBytes = 4 + 4 + 4 + 8 + 8 + 8;
    public const float Step = 0.25f;

    public HuCache(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
    }

    public string Folder { get; }

    /// <summary>The same scan, whose slices load through the cache.</summary>
    public ScanRecord Wrap(ScanRecord scan) =>
        scan with { Slices = scan.Slices.Select(s => s with { LoadHu = () => Load(scan, s) }).ToList() };

    /// <summary>All scans wrapped (<see cref="Wrap"/>).</summary>
    public IReadOnlyList<ScanRecord> Wrap(IEnumerable<ScanRecord> scans) => scans.Select(Wrap).ToList();

    /// <summary>The cache file of a slice: &lt;folder&gt;/&lt;dataset&gt;/&lt;hash of scan id&gt;/&lt;hash of slice id&gt;.hu16.</summary>
    public string PathOf(ScanRecord scan, SliceRecord slice) =>
        Path.Combine(Folder, scan.Dataset, Hash(scan.ScanId), Hash(slice.SliceId) + ".hu16");

    private HuImage Load(ScanRecord scan, SliceRecord slice)
    {
        var path = PathOf(scan, slice);
        var (length, ticks) = Fingerprint(slice.SourcePath);
        if (TryRead(path, length, ticks) is { } cached) return cached;
        var hu = slice.LoadHu();
        Write(path, hu, length, ticks);
        return hu;
    }

    private static (long Length, long Ticks) Fingerprint(string? source)
    {
        if (source is null || !File.Exists(source)) return (-1, -1);
        var info = new FileInfo(source);
        return (info.Length, info.LastWriteTimeUtc.Ticks);
    }

    private static HuImage? TryRead(string path, long length, long ticks)
    {
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (IOException) { return null; }
        if (bytes.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic) return null;
        var width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var height = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var spacing = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(12));
        if (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(20)) != length) return null;
        if (BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(28)) != ticks) return null;
        if (width <= 0 || height <= 0 || bytes.Length != HeaderBytes + 2L * width * height) return null;
        var pixels = new float[width * height];
        var data = bytes.AsSpan(HeaderBytes);
        for (var i = 0; i < pixels.Length; i++) pixels[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) * Step;
        return new HuImage(width, height, pixels, double.IsNaN(spacing) ? null : spacing);
    }

    private static void Write(string path, HuImage hu, long length, long ticks)
    {
        var bytes = new byte[HeaderBytes + 2 * hu.Pixels.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), hu.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), hu.Height);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(12), hu.PixelSpacingMm ?? double.NaN);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(20), length);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(28), ticks);
        var data = bytes.AsSpan(HeaderBytes);
        for (var i = 0; i < hu.Pixels.Length; i++)
        {
            var q = Math.Clamp(MathF.Round(hu.Pixels[i] / Step), short.MinValue, short.MaxValue);
            BinaryPrimitives.WriteInt16LittleEndian(data[(2 * i)..], (short)q);
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Write to a unique temporary name and move: concurrent loaders never see half a file.
            var tmp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"HU cache not writable: {e.Message}", path);
        }
    }

    private static string Hash(string id)
    {
        // IDs may hold characters that are unsafe in file names (DICOM UIDs are fine, relative paths are not).
        var safe = id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') && id.Length is > 0 and <= 80;
        return safe ? id : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
    }
}
