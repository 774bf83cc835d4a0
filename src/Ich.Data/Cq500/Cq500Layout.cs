using Ich.Core.Errors;
using Ich.Core.Labels;

namespace Ich.Data.Cq500;

/// <summary>One CQ500 study folder with its candidate series folders.</summary>
/// <param name="Number">The N of CQ500CT&lt;N&gt;.</param>
/// <param name="Folder">The study folder, e.g. ".../CQ500CT12 CQ500CT12".</param>
/// <param name="SeriesFolders">Every folder below it that directly holds files (e.g. "Unknown Study/CT PLAIN THIN").</param>
public sealed record Cq500Study(int Number, string Folder, IReadOnlyList<string> SeriesFolders);

/// <summary>
/// Finds the CQ500 study folders (<c>CQ500CT&lt;N&gt; CQ500CT&lt;N&gt;/Unknown Study/CT &lt;description&gt;/CT*.dcm</c>)
/// anywhere below the root (the download unpacks into one folder per zip, e.g. qct01/...).
/// </summary>
public static class Cq500Layout
{
    public static IReadOnlyDictionary<int, Cq500Study> FindStudies(string root)
    {
        if (!Directory.Exists(root)) throw new DatasetFormatException("CQ500 folder not found", root);
        var result = new Dictionary<int, Cq500Study>();
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Cq500ReadsFile.StudyNumber(Path.GetFileName(dir)) is not { } n) continue;
            if (result.TryGetValue(n, out var existing))
            {
                if (dir.StartsWith(existing.Folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                throw new DatasetFormatException($"study CQ500CT{n} found twice: {existing.Folder} and {dir}", root);
            }
            var series = Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)
                .Prepend(dir)
                .Where(d => Directory.EnumerateFiles(d).Any())
                .Order(StringComparer.Ordinal).ToList();
            result[n] = new Cq500Study(n, dir, series);
        }
        return result;
    }
}
