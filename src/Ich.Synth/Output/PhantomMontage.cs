using Ich.Imaging;
using Ich.Synth.Rendering;

namespace Ich.Synth.Output;

/// <summary>
/// Montage PNGs in the brain window (40/80) so people can judge the phantoms: one per subtype (the
/// slice with the largest bleed of that subtype from several scans) and one of bleed-free scans
/// showing the confounders.
/// </summary>
public static class PhantomMontage
{
    public const int Tile = 256;

    /// <summary>Writes montage-&lt;subtype&gt;.png and montage-negative.png; returns the paths written.</summary>
    /// <param name="searchScans">How many scans (from index 0) to search with the label-only path.</param>
    public static IReadOnlyList<string> WriteAll(SynthOptions options, string dir, int searchScans = 120, int columns = 4, int rows = 2)
    {
        Directory.CreateDirectory(dir);
        var tiles = columns * rows;
        var picks = new List<(ScanPlan Plan, int Slice)>[6];
        for (var t = 0; t < 6; t++) picks[t] = new();
        for (var i = 0; i < searchScans && picks.Any(p => p.Count < tiles); i++)
        {
            var scan = PhantomGenerator.Labels(options, i);
            for (var t = 0; t < 5; t++)
            {
                if (picks[t].Count >= tiles || !scan.Has(t)) continue;
                var best = scan.Slices.OrderByDescending(s => s.AreasMm2[t]).First();
                // Alternate between the largest slice and a smaller, more typical one.
                var positive = scan.Slices.Where(s => s.Has(t)).ToList();
                var pick = picks[t].Count % 2 == 0 ? best : positive[positive.Count / 3];
                picks[t].Add((scan.Plan, pick.Index));
            }
            if (!scan.Any && picks[5].Count < tiles)
                picks[5].Add((scan.Plan, (int)(scan.Plan.SliceCount * (0.12 + 0.6 * (picks[5].Count / (double)tiles)))));
        }
        var names = BleedMaskFile.SubtypeNames.Append("negative").ToArray();
        var written = new List<string>();
        for (var t = 0; t < 6; t++)
        {
            if (picks[t].Count == 0) continue;
            var path = Path.Combine(dir, $"montage-{names[t]}.png");
            Write(path, picks[t], columns, rows);
            File.WriteAllLines(Path.ChangeExtension(path, ".txt"), picks[t].Select((p, i) =>
                $"tile {i}: scan {p.Plan.ScanId} slice {p.Slice} ({p.Plan.ThicknessMm} mm, {p.Plan.Encoding}); bleeds: "
                + (p.Plan.Bleeds.Count == 0 ? "none" : string.Join("; ", p.Plan.Bleeds.Select(b => b.Describe())))));
            written.Add(path);
        }
        return written;
    }

    private static void Write(string path, List<(ScanPlan Plan, int Slice)> picks, int columns, int rows)
    {
        var width = columns * Tile;
        var canvas = new byte[width * rows * Tile];
        var rendered = new float[picks.Count][];
        Parallel.For(0, picks.Count, i =>
        {
            var (plan, k) = picks[i];
            var slice = PhantomGenerator.RenderSlice(plan, k);
            rendered[i] = Resample.Bilinear(slice.Hu!, plan.Size, plan.Size, Tile, Tile);
        });
        for (var i = 0; i < picks.Count; i++)
        {
            var (ox, oy) = (i % columns * Tile, i / columns * Tile);
            for (var y = 0; y < Tile; y++)
                for (var x = 0; x < Tile; x++)
                    canvas[(oy + y) * width + ox + x] = (byte)MathF.Round(HuWindow.Brain.Apply(rendered[i][y * Tile + x]) * 255);
        }
        PngFile.WriteGray(path, canvas, width, rows * Tile);
    }
}
