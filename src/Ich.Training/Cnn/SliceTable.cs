using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Imaging;

namespace Ich.Training.Cnn;

/// <summary>A slice in the flattened training table: its scan, its position in the scan, its labels.</summary>
public readonly record struct SliceRef(int Scan, int Slice, float[]? Labels);

/// <summary>
/// All slices of a list of scans, flattened, with their three-window network images cached as bytes
/// ([3, size, size] quantised to 1/255, as the winning code's 8-bit PNGs) so each slice is decoded once.
/// </summary>
public sealed class SliceTable
{
    private readonly byte[]?[] _cache;

    public SliceTable(IReadOnlyList<ScanRecord> scans, int imageSize)
    {
        Scans = scans;
        ImageSize = imageSize;
        var refs = new List<SliceRef>();
        var starts = new int[scans.Count];
        for (var s = 0; s < scans.Count; s++)
        {
            starts[s] = refs.Count;
            for (var i = 0; i < scans[s].Slices.Count; i++) refs.Add(new SliceRef(s, i, scans[s].Slices[i].Labels));
        }
        Slices = refs;
        ScanStarts = starts;
        _cache = new byte[refs.Count][];
    }

    public IReadOnlyList<ScanRecord> Scans { get; }
    public IReadOnlyList<SliceRef> Slices { get; }
    /// <summary>Index in <see cref="Slices"/> of each scan's first slice.</summary>
    public IReadOnlyList<int> ScanStarts { get; }
    public int ImageSize { get; }

    /// <summary>
    /// Checks that every slice can be trained on: six labels, distinct scan IDs, source files present. Fails
    /// with a <see cref="ConfigException"/> naming the scan and file before any training starts.
    /// </summary>
    public void ValidateForTraining()
    {
        var ids = new HashSet<(string, string)>();
        foreach (var scan in Scans)
        {
            if (!ids.Add((scan.Dataset, scan.ScanId)))
                throw new ConfigException($"scan '{scan.ScanId}' of dataset '{scan.Dataset}' appears twice");
            if (scan.Slices.Count == 0) throw new ConfigException($"scan '{scan.ScanId}' has no slices");
            for (var i = 0; i < scan.Slices.Count; i++)
            {
                var slice = scan.Slices[i];
                if (i > 0 && slice.Index <= scan.Slices[i - 1].Index)
                    throw new ConfigException($"scan '{scan.ScanId}': slice indices are not increasing at slice '{slice.SliceId}'", slice.SourcePath);
                if (slice.Labels is null)
                    throw new ConfigException($"scan '{scan.ScanId}' slice '{slice.SliceId}' has no per-slice labels " +
                                              $"(the CNN trains on slice labels{(scan.ScanLabels is null ? "" : "; this dataset has scan-level labels only")})", slice.SourcePath);
                if (slice.Labels.Length != HemorrhageClasses.Count)
                    throw new ConfigException($"scan '{scan.ScanId}' slice '{slice.SliceId}' has {slice.Labels.Length} labels, expected {HemorrhageClasses.Count}", slice.SourcePath);
                if (slice.Labels.Any(v => v is not (0f or 1f)))
                    throw new ConfigException($"scan '{scan.ScanId}' slice '{slice.SliceId}' has labels other than 0/1", slice.SourcePath);
                if (slice.SourcePath is { } p && !File.Exists(p) && !Directory.Exists(p))
                    throw new ConfigException($"scan '{scan.ScanId}' slice '{slice.SliceId}': labelled but its image file is missing", p);
            }
        }
    }

    /// <summary>Decodes and caches every slice image (reports progress as (done, total)); a decoding error names the file.</summary>
    public void Preload(Action<int, int>? progress = null, CancellationToken cancel = default)
    {
        for (var i = 0; i < Slices.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            Image(i);
            if (progress is not null && (i % 32 == 0 || i == Slices.Count - 1)) progress(i + 1, Slices.Count);
        }
    }

    /// <summary>The cached [3, size, size] bytes of slice <paramref name="index"/>.</summary>
    public byte[] Image(int index)
    {
        if (_cache[index] is { } cached) return cached;
        var r = Slices[index];
        var slice = Scans[r.Scan].Slices[r.Slice];
        HuImage hu;
        try { hu = slice.LoadHu(); }
        catch (IchException) { throw; }
        catch (Exception e) { throw new ImageFormatException($"cannot load slice '{slice.SliceId}' of scan '{Scans[r.Scan].ScanId}': {e.Message}", slice.SourcePath, e); }
        var input = NetworkInput.FromHu(hu, ImageSize);
        var bytes = new byte[input.Length];
        for (var k = 0; k < input.Length; k++) bytes[k] = Ich.Model.Cnn.CnnInputs.ToByte(input[k]);
        return _cache[index] = bytes;
    }

    /// <summary>Drops the cached images of one scan (feature extraction over data larger than RAM).</summary>
    public void Release(int scan)
    {
        for (var i = 0; i < Scans[scan].Slices.Count; i++) _cache[ScanStarts[scan] + i] = null;
    }

    /// <summary>Whether slice <paramref name="index"/> is labelled positive for <c>any</c>.</summary>
    public bool IsPositive(int index) => Slices[index].Labels is { } l && l[0] > 0.5f;
}
