using Ich.Core.Scans;

namespace Ich.Imaging;

/// <summary>What a <see cref="HeadFrame"/> covers.</summary>
public enum HeadFrameKind
{
    /// <summary>The whole slice, by choice: the model uses <see cref="InputFraming.Field"/>.</summary>
    Field,

    /// <summary>A square around the head found by <see cref="HeadFrameSearch"/>.</summary>
    Head,

    /// <summary>
    /// Head framing was asked for but no slice of the scan has tissue (above <see cref="HeadFrameSearch.TissueHu"/>):
    /// the whole slice is used. A fallback the caller reports (a note on the prediction), never a silent one.
    /// </summary>
    NoTissue,
}

/// <summary>A region of the slice grid in pixel-edge coordinates (pixel x covers [x, x + 1)).</summary>
public readonly record struct FrameRegion(double Left, double Top, double Width, double Height);

/// <summary>
/// The region of a scan's slices that becomes the network input: one per scan (a per-slice frame would magnify the small
/// vertex slices into whole heads). For <see cref="HeadFrameKind.Head"/> a square of side <see cref="Side"/> centred at
/// (<see cref="CenterX"/>, <see cref="CenterY"/>) in the pixel coordinates of a <see cref="SliceWidth"/> ×
/// <see cref="SliceHeight"/> slice; it may reach outside the slice (that part is air). The other kinds are the whole slice.
/// </summary>
public sealed record HeadFrame(HeadFrameKind Kind, int SliceWidth, int SliceHeight, double CenterX, double CenterY, double Side)
{
    /// <summary>The whole slice: <see cref="InputFraming.Field"/>.</summary>
    public static HeadFrame Field { get; } = new(HeadFrameKind.Field, 0, 0, 0, 0, 0);

    /// <summary>Whether the frame is the whole slice (the network input is exactly the field-of-view input).</summary>
    public bool IsFullField => Kind != HeadFrameKind.Head;

    /// <summary>The frame of a scan for a model's framing: <see cref="Field"/>, or the head search over all its slices.</summary>
    public static HeadFrame For(InputFraming framing, IReadOnlyList<HuImage> slices) =>
        framing == InputFraming.Head ? HeadFrameSearch.Find(slices) : Field;

    /// <summary>
    /// The frame on a <paramref name="width"/> × <paramref name="height"/> grid covering the same anatomy as the slice
    /// it was found on (a mask file or a working-resolution copy of the slice): scaled edge to edge. The whole grid for
    /// the full-field kinds.
    /// </summary>
    public FrameRegion Region(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (IsFullField) return new FrameRegion(0, 0, width, height);
        var sx = (double)width / SliceWidth;
        var sy = (double)height / SliceHeight;
        return new FrameRegion((CenterX - Side / 2) * sx, (CenterY - Side / 2) * sy, Side * sx, Side * sy);
    }

    public override string ToString() => Kind == HeadFrameKind.Head
        ? FormattableString.Invariant($"head frame: side {Side:0.#} px at ({CenterX:0.#}, {CenterY:0.#}) of {SliceWidth}×{SliceHeight}")
        : Kind == HeadFrameKind.Field ? "full field" : "no tissue found: full field";
}
