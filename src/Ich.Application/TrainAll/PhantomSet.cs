using Ich.Core.Text;
using Ich.Synth;
using Ich.Synth.Output;

namespace Ich.Application.TrainAll;

/// <summary>Generates a phantom set once and recognises a complete one (so a restarted pipeline skips it).</summary>
public static class PhantomSet
{
    /// <summary>
    /// True when <paramref name="folder"/> holds exactly the scans <paramref name="set"/> asks for: scans.csv lists
    /// scan_index 0…N−1 with the set's seed (and, for a fixed thickness, that thickness) and its synth.json the set's label
    /// rule (no synth.json: geometric). The generator is deterministic in (seed, index, size, thickness, style, label
    /// rule), so such a folder is the set's output.
    /// </summary>
    public static bool IsComplete(string folder, PhantomSetConfig set)
    {
        var scans = Path.Combine(folder, "scans.csv");
        if (!File.Exists(scans) || !File.Exists(Path.Combine(folder, "labels.csv"))) return false;
        // The label rule changes labels and masks but no scans.csv column: the folder's synth.json names it.
        if (SynthSettingsFile.LabelRule(folder) != set.Labels) return false;
        var table = CsvTable.Read(scans);
        if (table.Rows.Count != set.Scans) return false;
        var thickness = SynthOptions.ParseThickness(set.Thickness);
        var seed = set.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (seedCol, thickCol, indexCol, idCol) = (table.Require("seed"), table.Require("thickness_mm"), table.Require("scan_index"), table.Require("scan_id"));
        var options = Options(set);
        var indices = new HashSet<int>();
        foreach (var row in table.Rows)
        {
            if (row[seedCol] != seed) return false;
            if (thickness is { } t && Math.Abs(double.Parse(row[thickCol], System.Globalization.CultureInfo.InvariantCulture) - t) > 1e-6) return false;
            var index = int.Parse(row[indexCol], System.Globalization.CultureInfo.InvariantCulture);
            // The scan ID carries the style, so a folder of another style is not this set.
            if (row[idCol] != PhantomGenerator.ScanIdFor(options, index)) return false;
            indices.Add(index);
        }
        return indices.Count == set.Scans && indices.Min() == 0 && indices.Max() == set.Scans - 1;
    }

    private static SynthOptions Options(PhantomSetConfig set) => set.ToSynthOptions();

    /// <summary>Writes the set into <paramref name="folder"/>, replacing an incomplete earlier attempt (our own output only).</summary>
    public static void Generate(string folder, PhantomSetConfig set, Action<int, int>? progress, CancellationToken cancel)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        var options = Options(set);
        var done = 0;
        PhantomGenerator.Write(options, folder, set.Scans, _ => progress?.Invoke(++done, set.Scans), cancel);
    }
}
