using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ich.Viewer;

/// <summary>
/// Writes the study viewer: ONE self-contained HTML file (script, style and pixel data inline, no network
/// access; a Content-Security-Policy forbids any fetch and lets only the viewer's own script run, by hash).
/// Test contract: the root element carries <c>data-ich-viewer</c>, <c>data-slice-index</c> (current, 0 = lowest)
/// and <c>data-slice-count</c>; the URL fragment <c>#slice=N&amp;class=NAME</c> opens it at a slice and class.
/// See docs/viewer.md for the encoding, the keyboard map and the measured budget.
/// </summary>
public static partial class StudyViewerHtml
{
    private static readonly Lazy<string> Template = new(() => Resource("viewer.html"));
    private static readonly Lazy<string> Script = new(() => Resource("viewer.js"));
    private static readonly Lazy<string> Style = new(() => Resource("viewer.css"));

    /// <summary>Writes the viewer of <paramref name="study"/> to a file (its folder is created).</summary>
    /// <exception cref="ViewerInputException">The study is not valid (see <see cref="ViewerStudy"/>).</exception>
    public static void Write(string path, ViewerStudy study)
    {
        var html = Render(study); // validate and render before the file is created
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, html, new UTF8Encoding(false));
    }

    /// <summary>Writes the viewer of <paramref name="study"/> to a stream as UTF-8.</summary>
    /// <exception cref="ViewerInputException">The study is not valid (see <see cref="ViewerStudy"/>).</exception>
    public static void Write(Stream output, ViewerStudy study)
    {
        ArgumentNullException.ThrowIfNull(output);
        var bytes = new UTF8Encoding(false).GetBytes(Render(study));
        output.Write(bytes);
    }

    /// <summary>The whole page as a string.</summary>
    /// <exception cref="ViewerInputException">The study is not valid (see <see cref="ViewerStudy"/>).</exception>
    public static string Render(ViewerStudy study)
    {
        ViewerStudyValidator.Validate(study);
        var start = DefaultStartSlice(study);
        var script = Script.Value;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TITLE"] = SummaryHtml.Encode($"ICH viewer · {study.ScanId}"),
            ["SCRIPT_HASH"] = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script))),
            ["STYLE"] = Style.Value,
            ["SUMMARY"] = SummaryHtml.Build(study),
            ["START"] = start.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["COUNT"] = study.Slices.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DATA"] = ViewerPayload.Build(study, start),
            ["SCRIPT"] = script,
        };
        // One pass over the template: text inserted for one placeholder is never scanned for another.
        return Placeholder().Replace(Template.Value, m => values[m.Groups[1].Value]);
    }

    /// <summary>The slice shown when the URL has no #slice: the one with the highest "any" probability (lowest index on ties).</summary>
    public static int DefaultStartSlice(ViewerStudy study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var best = 0;
        for (var i = 1; i < study.Slices.Count; i++)
            if (study.Slices[i].Probabilities[0] > study.Slices[best].Probabilities[0]) best = i;
        return best;
    }

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ich.Viewer." + name)
                           ?? throw new InvalidOperationException($"embedded resource {name} missing from Ich.Viewer");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{([A-Z_]+)\}\}")]
    private static partial Regex Placeholder();
}
