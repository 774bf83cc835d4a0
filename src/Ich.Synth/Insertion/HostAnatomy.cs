using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Synth.Insertion;

/// <summary>
/// Anatomy of a real (or phantom) axial head-CT slice found from its HU alone, for placing synthetic bleeds:
/// bone (≥ <see cref="BoneHu"/>), the intracranial space (pixels enclosed by bone: not reachable from the image
/// border without crossing bone, the bone morphologically closed by <see cref="ClosingMm"/> so thin tables and
/// fracture lines still seal),
/// brain (intracranial, <see cref="BrainMinHu"/>–<see cref="BrainMaxHu"/>), CSF (intracranial,
/// <see cref="CsfMinHu"/>–<see cref="CsfMaxHu"/>), and for every intracranial pixel its distance to the inner
/// table and the inner-table pixel nearest to it (a Euclidean nearest-seed propagation from the bone pixels
/// that touch the intracranial space).
/// </summary>
public sealed class HostAnatomy
{
    public const float BoneHu = 300;
    public const float BrainMinHu = 0, BrainMaxHu = 80;
    public const float CsfMinHu = 0, CsfMaxHu = 15;
    /// <summary>Below this intracranial area the slice is skull base, vertex or not a closed skull.</summary>
    public const double MinIntracranialAreaMm2 = 2500;
    /// <summary>Radius (mm) of the morphological closing that seals gaps in the skull before the intracranial fill.</summary>
    public const double ClosingMm = 1.5;

    private HostAnatomy(HuImage image, double spacing)
    {
        Image = image;
        SpacingMm = spacing;
        var n = image.Width * image.Height;
        Bone = new bool[n];
        Intracranial = new bool[n];
        DistanceMm = new float[n];
        NearestTable = new int[n];
    }

    public HuImage Image { get; }
    public int Width => Image.Width;
    public int Height => Image.Height;
    public double SpacingMm { get; }
    public bool[] Bone { get; }
    public bool[] Intracranial { get; }
    /// <summary>Distance (mm) from an intracranial pixel to the nearest inner-table bone pixel; +∞ elsewhere.</summary>
    public float[] DistanceMm { get; }
    /// <summary>Index of the inner-table pixel nearest to each intracranial pixel; −1 elsewhere.</summary>
    public int[] NearestTable { get; }
    /// <summary>Largest <see cref="DistanceMm"/> (the depth of the slice's most central point).</summary>
    public float MaxDepthMm { get; private set; }
    public int IntracranialCount { get; private set; }

    /// <summary>3×3 mean of the HU: brain and CSF are classified on it, so pixel noise does not speckle CSF into parenchyma.</summary>
    public float[] Smoothed { get; private set; } = [];

    public bool IsBrain(int i) => Intracranial[i] && Smoothed[i] is >= BrainMinHu and <= BrainMaxHu;
    public bool IsCsf(int i) => Intracranial[i] && Smoothed[i] is >= CsfMinHu and <= CsfMaxHu;

    /// <summary>Finds the anatomy; throws <see cref="InsertionHostException"/> when the slice has no closed skull or no spacing.</summary>
    /// <param name="image">The host slice in HU.</param>
    /// <param name="name">Slice name for error messages.</param>
    /// <param name="assumedSpacingMm">Pixel spacing to use when the image has none (e.g. the PhysioNet JPG export: 0.35 mm, its 650 px grid over the original ~0.45 mm × 512 px).</param>
    public static HostAnatomy Find(HuImage image, string? name = null, double? assumedSpacingMm = null)
    {
        var spacing = image.PixelSpacingMm ?? assumedSpacingMm
            ?? throw new InsertionHostException("the slice has no pixel spacing (needed to size bleeds in mm)", name);
        if (spacing is <= 0 or > 5) throw new InsertionHostException($"pixel spacing {spacing} mm is not a head CT's", name);
        var a = new HostAnatomy(image, spacing);
        a.Segment(name);
        a.Distances();
        a.Smoothed = Smooth(image);
        return a;
    }

    private void Segment(string? name)
    {
        int w = Width, h = Height;
        var px = Image.Pixels;
        for (var i = 0; i < px.Length; i++) Bone[i] = px[i] >= BoneHu;
        // The flood barrier is the bone closed morphologically (dilate, then erode, square of radius ClosingMm): gaps
        // narrower than about twice that — a fracture line, a thin or partial-volumed table, a suture — are sealed,
        // while the outer contour of the skull stays where it is, so scalp never counts as intracranial.
        var radius = Math.Max(1, (int)Math.Round(ClosingMm / SpacingMm));
        var barrier = Erode(Dilate(Bone, w, h, radius), w, h, radius);
        for (var i = 0; i < barrier.Length; i++) barrier[i] |= Bone[i];
        var outside = new bool[px.Length];
        var stack = new Stack<int>();
        for (var x = 0; x < w; x++) { Push(x); Push((h - 1) * w + x); }
        for (var y = 0; y < h; y++) { Push(y * w); Push(y * w + w - 1); }
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            int x = i % w, y = i / w;
            if (x > 0) Push(i - 1);
            if (x < w - 1) Push(i + 1);
            if (y > 0) Push(i - w);
            if (y < h - 1) Push(i + w);
        }
        var count = 0;
        for (var i = 0; i < px.Length; i++)
        {
            Intracranial[i] = !outside[i] && !Bone[i] && px[i] > -200; // air inside the skull (sinus, pneumocephalus) is not brain space
            if (Intracranial[i]) count++;
        }
        IntracranialCount = count;
        if (count * SpacingMm * SpacingMm < MinIntracranialAreaMm2)
            throw new InsertionHostException(
                $"no closed skull: {count * SpacingMm * SpacingMm:0} mm² enclosed by bone ≥ {BoneHu} HU (need {MinIntracranialAreaMm2} mm²)", name);

        void Push(int i)
        {
            if (outside[i] || barrier[i]) return;
            outside[i] = true;
            stack.Push(i);
        }
    }

    /// <summary>Nearest-seed propagation (Dijkstra on 8 neighbours, keyed by the Euclidean distance to the carried seed).</summary>
    private void Distances()
    {
        int w = Width, h = Height;
        Array.Fill(DistanceMm, float.PositiveInfinity);
        Array.Fill(NearestTable, -1);
        var best = new float[w * h];
        Array.Fill(best, float.PositiveInfinity);
        var queue = new PriorityQueue<int, float>();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var i = y * w + x;
                if (!Bone[i] || !TouchesIntracranial(x, y)) continue;
                NearestTable[i] = i;
                best[i] = 0;
                queue.Enqueue(i, 0);
            }
        while (queue.TryDequeue(out var i, out var d))
        {
            if (d > best[i]) continue;
            int x = i % w, y = i / w, seed = NearestTable[i];
            int sx = seed % w, sy = seed / w;
            for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int xx = x + dx, yy = y + dy;
                    if ((dx == 0 && dy == 0) || xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                    var j = yy * w + xx;
                    if (!Intracranial[j]) continue;
                    var dist = MathF.Sqrt((xx - sx) * (xx - sx) + (yy - sy) * (yy - sy));
                    if (dist >= best[j]) continue;
                    best[j] = dist;
                    NearestTable[j] = seed;
                    queue.Enqueue(j, dist);
                }
        }
        var max = 0f;
        for (var i = 0; i < best.Length; i++)
        {
            if (!Intracranial[i] || float.IsInfinity(best[i])) { if (!Intracranial[i] && !Bone[i]) NearestTable[i] = -1; continue; }
            DistanceMm[i] = (float)(best[i] * SpacingMm);
            max = Math.Max(max, DistanceMm[i]);
        }
        for (var i = 0; i < best.Length; i++) if (Bone[i]) { DistanceMm[i] = float.PositiveInfinity; NearestTable[i] = -1; }
        MaxDepthMm = max;
    }

    private static bool[] Dilate(bool[] on, int w, int h, int r) => Square(on, w, h, r, value: true);

    private static bool[] Erode(bool[] on, int w, int h, int r) => Square(on, w, h, r, value: false);

    /// <summary>Separable square filter: a pixel becomes <paramref name="value"/> when any pixel within r (Chebyshev) has it.</summary>
    private static bool[] Square(bool[] on, int w, int h, int r, bool value)
    {
        var rows = new bool[on.Length];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var hit = false;
                for (var k = Math.Max(0, x - r); k <= Math.Min(w - 1, x + r) && !hit; k++) hit = on[y * w + k] == value;
                rows[y * w + x] = hit ? value : !value;
            }
        var result = new bool[on.Length];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var hit = false;
                for (var k = Math.Max(0, y - r); k <= Math.Min(h - 1, y + r) && !hit; k++) hit = rows[k * w + x] == value;
                result[y * w + x] = hit ? value : !value;
            }
        return result;
    }

    private static float[] Smooth(HuImage image)
    {
        int w = image.Width, h = image.Height;
        var px = image.Pixels;
        var result = new float[px.Length];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                float sum = 0;
                var n = 0;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx, yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        sum += px[yy * w + xx];
                        n++;
                    }
                result[y * w + x] = sum / n;
            }
        return result;
    }

    private bool TouchesIntracranial(int x, int y)
    {
        for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx, yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < Width && yy < Height && Intracranial[yy * Width + xx]) return true;
            }
        return false;
    }
}
