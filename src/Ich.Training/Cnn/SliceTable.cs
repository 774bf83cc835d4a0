using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Model.Cnn;

namespace Ich.Training.Cnn;

/// <summary>A slice in the flattened training table: its scan, its position in the scan, its labels.</summary>
public readonly record struct SliceRef(int Scan, int Slice, float[]? Labels);

/// <summary>
/// All slices of a list of scans, flattened, with each slice's network grid cached as HU ([size, size] floats, resampled
/// through its frame) so each slice is decoded once. An image is that grid's three windows quantised to 1/255 (as the
/// winning code's 8-bit PNGs), made when asked for: bit for bit what <see cref="NetworkInput.FromHu(HuImage, int, HeadFrame)"/>
/// gives, while training can change intensities in HU first (<see cref="IntensityAugmenter"/>). A float grid costs 4 bytes
/// a pixel against 3 for cached window bytes. The cache belongs to one (image size, framing): both are fixed at construction, so images made through a head frame
/// are never served to a field run or the other way round. With <see cref="InputFraming.Head"/> each scan's
/// <see cref="HeadFrame"/> is found from all its slices when its first image is asked for, and that scan's images are made
/// together (each slice is decoded once either way).
/// </summary>
public sealed class SliceTable
{
    private readonly float[]?[] _cache;
    // Found once per scan; a race between threads finds the same frame twice (deterministic), never a different one.
    private readonly HeadFrame?[] _frames;
    // Per scan, the slices averaged into each slice's slab; null where the scan is read slice by slice.
    private readonly int[][]?[] _slabs;

    public SliceTable(IReadOnlyList<ScanRecord> scans, int imageSize, InputFraming framing = InputFraming.Field, double? slabMm = null)
    {
        if (!Enum.IsDefined(framing)) throw new ArgumentOutOfRangeException(nameof(framing), framing, "unknown framing");
        Scans = scans;
        ImageSize = imageSize;
        Framing = framing;
        SlabMm = slabMm;
        _frames = new HeadFrame?[scans.Count];
        _slabs = scans.Select(s => SlabPlan.Members(s, slabMm)).ToArray();
        var refs = new List<SliceRef>();
        var starts = new int[scans.Count];
        for (var s = 0; s < scans.Count; s++)
        {
            starts[s] = refs.Count;
            for (var i = 0; i < scans[s].Slices.Count; i++) refs.Add(new SliceRef(s, i, scans[s].Slices[i].Labels));
        }
        Slices = refs;
        ScanStarts = starts;
        _cache = new float[refs.Count][];
    }

    public IReadOnlyList<ScanRecord> Scans { get; }
    public IReadOnlyList<SliceRef> Slices { get; }
    /// <summary>Index in <see cref="Slices"/> of each scan's first slice.</summary>
    public IReadOnlyList<int> ScanStarts { get; }
    public int ImageSize { get; }
    /// <summary>The region of each slice the images cover (the CNN config's <c>framing</c>).</summary>
    public InputFraming Framing { get; }
    /// <summary>Thin series are read as slabs of this many mm (the CNN config's <c>slabMm</c>, <see cref="SlabPlan"/>); null = never.</summary>
    public double? SlabMm { get; }

    /// <summary>
    /// The frame of scan <paramref name="scan"/>: <see cref="HeadFrame.Field"/> for field framing, else the head frame of all
    /// its slices (found once). Inserted and pasted bleeds and known masks go through it with the slice's image.
    /// </summary>
    public HeadFrame Frame(int scan) => _frames[scan] ??= FindFrame(scan);

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
            Hu(i);
            if (progress is not null && (i % 32 == 0 || i == Slices.Count - 1)) progress(i + 1, Slices.Count);
        }
    }

    /// <summary>The [3, size, size] window bytes of slice <paramref name="index"/> (a new array each call).</summary>
    public byte[] Image(int index) => CnnInputs.ToBytes(NetworkInput.Windows(Hu(index)));

    /// <summary>
    /// The cached [size, size] HU grid of slice <paramref name="index"/> (with a slab: the mean of its slab's grids); shared,
    /// so callers copy before changing it.
    /// </summary>
    public float[] Hu(int index)
    {
        if (_cache[index] is { } cached) return cached;
        var r = Slices[index];
        var slab = _slabs[r.Scan];
        if (Framing == InputFraming.Field && slab is null)
            return _cache[index] = NetworkInput.ResampledHu(Load(r.Scan, r.Slice), ImageSize, HeadFrame.Field);
        // A head frame or a slab needs the scan's other slices: decode them once and make every grid of the scan.
        var hu = Enumerable.Range(0, Scans[r.Scan].Slices.Count).Select(i => Load(r.Scan, i)).ToArray();
        var frame = Framing == InputFraming.Field ? HeadFrame.Field : _frames[r.Scan] ??= HeadFrame.For(Framing, hu);
        var grids = hu.Select(h => NetworkInput.ResampledHu(h, ImageSize, frame)).ToArray();
        float[]? mine = null;
        for (var i = 0; i < hu.Length; i++)
        {
            var grid = slab is null ? grids[i] : SlabMean.Of(slab[i].Select(j => grids[j]).ToList());
            _cache[ScanStarts[r.Scan] + i] ??= grid;
            if (i == r.Slice) mine = grid;
        }
        return mine!;
    }

    /// <summary>
    /// Slice <paramref name="index"/> in HU at its own resolution as the network reads it: the slice, or the mean of its
    /// slab's slices (a bleed inserted into a slab host then sits in the slab, as in a thick slice).
    /// </summary>
    public HuImage SliceHu(int index)
    {
        var r = Slices[index];
        if (_slabs[r.Scan] is not { } slab) return Load(r.Scan, r.Slice);
        var members = slab[r.Slice].Select(j => Load(r.Scan, j)).ToList();
        var first = members[0];
        if (members.Any(m => m.Width != first.Width || m.Height != first.Height))
            throw new ImageFormatException($"scan '{Scans[r.Scan].ScanId}': the slices of the slab around slice '{Scans[r.Scan].Slices[r.Slice].SliceId}' differ in size",
                Scans[r.Scan].Slices[r.Slice].SourcePath);
        return new HuImage(first.Width, first.Height, SlabMean.Of(members.Select(m => m.Pixels).ToList()), first.PixelSpacingMm);
    }

    private HeadFrame FindFrame(int scan) =>
        HeadFrame.For(Framing, Enumerable.Range(0, Scans[scan].Slices.Count).Select(i => Load(scan, i)).ToArray());

    private HuImage Load(int scan, int index)
    {
        var slice = Scans[scan].Slices[index];
        try { return slice.LoadHu(); }
        catch (IchException) { throw; }
        catch (Exception e) { throw new ImageFormatException($"cannot load slice '{slice.SliceId}' of scan '{Scans[scan].ScanId}': {e.Message}", slice.SourcePath, e); }
    }

    /// <summary>Drops the cached images of one scan (feature extraction over data larger than RAM).</summary>
    public void Release(int scan)
    {
        for (var i = 0; i < Scans[scan].Slices.Count; i++) _cache[ScanStarts[scan] + i] = null;
    }

    /// <summary>Whether slice <paramref name="index"/> is labelled positive for <c>any</c>.</summary>
    public bool IsPositive(int index) => Slices[index].Labels is { } l && l[0] > 0.5f;
}
