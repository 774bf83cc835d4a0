using Ich.Core.Text;

namespace Ich.Application.TrainAll;

/// <summary>
/// One CSV per dataset in a folder the run owns (<c>answer_oof</c>, <c>stages_oof</c>), replacing its earlier files so a
/// dataset no longer in the run leaves none behind.
/// </summary>
internal static class PerDatasetFiles
{
    /// <summary>Writes <c>&lt;folder&gt;/&lt;dataset&gt;.csv</c> for each dataset, in name order; returns the paths.</summary>
    public static IReadOnlyList<string> Write<T>(string folder, IEnumerable<T> items, Func<T, string> dataset, Func<IReadOnlyList<T>, string> render)
    {
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.EnumerateFiles(folder, "*.csv")) File.Delete(stale);
        var written = new List<string>();
        foreach (var group in items.GroupBy(dataset).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The dataset name comes from the run's own files, but it names a file: never let it leave the folder.
            var path = Path.Combine(folder, SafePathSegment.From(group.Key) + ".csv");
            File.WriteAllText(path, render(group.ToList()));
            written.Add(path);
        }
        return written;
    }
}
