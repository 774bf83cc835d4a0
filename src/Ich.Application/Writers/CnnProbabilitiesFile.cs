using System.Globalization;
using System.Text;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Training.Features;

namespace Ich.Application.Writers;

/// <summary>
/// A feature store's CNN probabilities as a predictions file (the layout of <c>ich predict</c>'s predictions.csv, its
/// first ten columns), so one CNN on other data — say one fold of a screen on style-shift phantoms — is one
/// <c>ich evaluate</c> away, scored like any model's answer.
/// </summary>
public static class CnnProbabilitiesFile
{
    /// <summary>Refuses a path that already holds a file (callers check before long work, and <see cref="Write"/> again).</summary>
    public static void RefuseExisting(string path)
    {
        if (File.Exists(path)) throw new ConfigException("the predictions file exists already; choose another path", path);
    }

    /// <summary>Writes the store's rows to <paramref name="path"/>, scan by scan; an existing file is refused, never replaced.</summary>
    public static int Write(string storeFolder, string path)
    {
        RefuseExisting(path);
        var store = FeatureStore.Open(storeFolder);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("scan_id,slice_id,slice_index,z_mm,").AppendJoin(',', HemorrhageClasses.Names).Append('\n');
        foreach (var scan in store.Scans)
        {
            var probs = store.ReadProbs(scan);
            for (var i = 0; i < scan.Count; i++)
            {
                var row = store.Rows[scan.FirstRow + i];
                sb.Append(CsvOutputWriter.Csv(row.ScanId)).Append(',').Append(CsvOutputWriter.Csv(row.SliceId)).Append(',')
                  .Append(row.SliceIndex.ToString(inv)).Append(',').Append(double.IsNaN(row.ZMm) ? "" : row.ZMm.ToString("R", inv));
                for (var c = 0; c < HemorrhageClasses.Count; c++) sb.Append(',').Append(probs[i * HemorrhageClasses.Count + c].ToString("G9", inv));
                sb.Append('\n');
            }
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        // CreateNew: a file that appeared since the check is still not replaced.
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(sb.ToString());
        }
        catch (IOException) when (File.Exists(path)) { RefuseExisting(path); throw; }
        return store.Rows.Count;
    }
}
