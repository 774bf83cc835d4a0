using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Model.Folder;

namespace Ich.Inference.Pipeline;

/// <summary>
/// The network inputs of one scan's slices for each backbone: the backbone's frame of the slice, averaged over the slice's
/// slab when the backbone reads thin series as slabs (<see cref="BackboneEntry.SlabMm"/>), windowed — the same arithmetic
/// as the training loader (<c>SliceTable</c>), so a slice reaches the network as it did in training. A slab averages
/// resampled grids; those are kept per input side and framing for the scan, so a neighbour is resampled once.
/// </summary>
internal sealed class ScanNetworkInputs(ScanRecord scan, HuImage[] hu, IReadOnlyDictionary<InputFraming, HeadFrame> frames)
{
    private readonly Dictionary<double, int[][]?> _plans = new();
    private readonly Dictionary<(int Size, InputFraming Framing), float[]?[]> _grids = new();

    /// <summary>The frame backbone <paramref name="b"/> sees each slice through.</summary>
    public HeadFrame Frame(BackboneEntry b) => frames[b.Framing];

    /// <summary>The slab members of each slice for backbone <paramref name="b"/>, or null when it reads slices as they are.</summary>
    public int[][]? Slabs(BackboneEntry b)
    {
        if (b.SlabMm is not { } slab) return null;
        if (!_plans.TryGetValue(slab, out var plan)) _plans[slab] = plan = SlabPlan.Members(scan, slab);
        return plan;
    }

    /// <summary>The [3, size, size] window image of slice <paramref name="slice"/> for backbone <paramref name="b"/>.</summary>
    public float[] Image(BackboneEntry b, int slice)
    {
        var slabs = Slabs(b);
        return slabs is null
            ? NetworkInput.FromHu(hu[slice], b.ImageSize, frames[b.Framing])
            : NetworkInput.Windows(SlabMean.Of(slabs[slice].Select(j => Grid(b, j)).ToList()));
    }

    /// <summary>The key under which backbones share an input: equal side, framing and slab give equal images.</summary>
    public static (int Size, InputFraming Framing, double? SlabMm) InputKey(BackboneEntry b) => (b.ImageSize, b.Framing, b.SlabMm);

    private float[] Grid(BackboneEntry b, int slice)
    {
        var key = (b.ImageSize, b.Framing);
        if (!_grids.TryGetValue(key, out var grids)) _grids[key] = grids = new float[hu.Length][];
        return grids[slice] ??= NetworkInput.ResampledHu(hu[slice], b.ImageSize, frames[b.Framing]);
    }
}
