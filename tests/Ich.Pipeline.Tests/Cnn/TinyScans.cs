using Ich.Core.Scans;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// In-memory scans for fast CNN tests: smooth random brain-like HU images (skull ring, ~30 HU parenchyma),
/// with a bright 70 HU blob (intraparenchymal-like) on positive slices. Deterministic per seed.
/// </summary>
internal static class TinyScans
{
    public static List<ScanRecord> Make(int patients, int slicesPerScan, int size = 48, int seed = 1)
    {
        var scans = new List<ScanRecord>();
        for (var p = 0; p < patients; p++)
        {
            var positiveScan = p % 2 == 0;
            var slices = new List<SliceRecord>();
            for (var i = 0; i < slicesPerScan; i++)
            {
                var positive = positiveScan && i >= slicesPerScan / 3 && i < slicesPerScan * 2 / 3 + 1;
                float[] labels = positive ? [1, 0, 1, 0, 0, 0] : [0, 0, 0, 0, 0, 0];
                var sliceSeed = seed * 10007 + p * 101 + i;
                slices.Add(new SliceRecord($"p{p}-s{i}", i, i * 5.0, labels, () => Image(size, sliceSeed, positive)));
            }
            scans.Add(new ScanRecord("tiny", $"P{p:D2}", $"scan{p:D2}", slices));
        }
        return scans;
    }

    /// <summary>
    /// Like <see cref="Make"/>, but each head (<paramref name="size"/> px) lies at (<paramref name="x"/>, <paramref name="y"/>)
    /// in a larger field of <paramref name="field"/> px of air: a scan where a head frame and the whole field differ.
    /// </summary>
    public static List<ScanRecord> OffCentre(int patients, int slicesPerScan, int size, int field, int x, int y, int seed = 1) =>
        Make(patients, slicesPerScan, size, seed).Select(scan => scan with
        {
            Slices = scan.Slices.Select(s => s with { LoadHu = () => Pad(s.LoadHu(), field, x, y) }).ToList(),
        }).ToList();

    private static HuImage Pad(HuImage head, int field, int x0, int y0)
    {
        var px = Enumerable.Repeat(-1000f, field * field).ToArray();
        for (var y = 0; y < head.Height; y++)
            for (var x = 0; x < head.Width; x++) px[(y0 + y) * field + x0 + x] = head[y, x];
        return new HuImage(field, field, px);
    }

    public static HuImage Image(int size, int seed, bool blob)
    {
        var rng = new Random(seed);
        var px = new float[size * size];
        double fx = rng.NextDouble() * 3, fy = rng.NextDouble() * 3, ph = rng.NextDouble() * 6;
        double bx = size * (0.35 + 0.3 * rng.NextDouble()), by = size * (0.35 + 0.3 * rng.NextDouble());
        var c = size / 2.0;
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var r = Math.Sqrt((x - c) * (x - c) + (y - c) * (y - c)) / (size * 0.45);
                double hu = r > 1.0 ? -1000 : r > 0.9 ? 1000 : 30 + 6 * Math.Sin(fx * x / size * 6 + ph) * Math.Cos(fy * y / size * 6);
                if (blob && r <= 0.9 && (x - bx) * (x - bx) + (y - by) * (y - by) < size * size / 60.0) hu = 70;
                px[y * size + x] = (float)hu;
            }
        return new HuImage(size, size, px);
    }
}
