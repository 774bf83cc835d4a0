using System.Xml.Linq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Architecture;

/// <summary>
/// The dependency diagram of docs/ARCHITECTURE.md (the <c>text project-references</c> block) is the truth about
/// the project references: it must list exactly the ProjectReference items of every <c>src/*/*.csproj</c>, and
/// every reference must point to a lower layer (no sideways, no upward edge).
/// </summary>
public sealed class ProjectReferenceTests
{
    private const string BlockStart = "```text project-references";

    [Fact]
    public void Diagram_EqualsTheProjectReferencesOfEverySourceProject()
    {
        var (_, documented) = Diagram();
        var actual = ProjectReferences();
        var missing = actual.Except(documented).Select(e => $"{e.From} -> {e.To}").ToList();
        var extra = documented.Except(actual).Select(e => $"{e.From} -> {e.To}").ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"docs/ARCHITECTURE.md differs from the .csproj files.\nin the projects, not in the diagram: {string.Join("; ", missing)}\n" +
            $"in the diagram, not in the projects: {string.Join("; ", extra)}");
    }

    [Fact]
    public void EveryReference_PointsToALowerLayer()
    {
        var (layers, _) = Diagram();
        var projects = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src")).Select(Path.GetFileName).ToList();
        foreach (var p in projects) Assert.True(layers.ContainsKey(p!), $"src/{p} has no layer in docs/ARCHITECTURE.md");
        foreach (var (from, to) in ProjectReferences())
            Assert.True(layers[from] > layers[to], $"{from} (layer {layers[from]}) references {to} (layer {layers[to]}): only lower layers may be referenced");
    }

    [Fact]
    public void Parser_ReadsEdgesAndLayersOfTheBlock()
    {
        // The parser itself, on a hand-written block: a wrong parser would make the two tests above vacuous.
        var (layers, edges) = Parse(["layer 0: A", "layer 1: B C", "", "B -> A", "C -> A B"]);
        Assert.Equal(new Dictionary<string, int> { ["A"] = 0, ["B"] = 1, ["C"] = 1 }, layers);
        Assert.Equal([("B", "A"), ("C", "A"), ("C", "B")], edges.Order());
    }

    private static (Dictionary<string, int> Layers, HashSet<(string From, string To)> Edges) Diagram()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "ARCHITECTURE.md"));
        var start = Array.IndexOf(lines, BlockStart);
        Assert.True(start >= 0, $"docs/ARCHITECTURE.md has no {BlockStart} block");
        var end = Array.IndexOf(lines, "```", start + 1);
        return Parse(lines[(start + 1)..end]);
    }

    private static (Dictionary<string, int> Layers, HashSet<(string From, string To)> Edges) Parse(IEnumerable<string> block)
    {
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        var edges = new HashSet<(string From, string To)>();
        foreach (var raw in block)
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("layer ", StringComparison.Ordinal))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var level = int.Parse(line[6..colon], System.Globalization.CultureInfo.InvariantCulture);
                foreach (var p in line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) layers.Add(p, level);
                continue;
            }
            var parts = line.Split("->", StringSplitOptions.TrimEntries);
            Assert.True(parts.Length == 2, $"not an edge line: '{line}'");
            foreach (var to in parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)) Assert.True(edges.Add((parts[0], to)), $"edge listed twice: {line}");
        }
        return (layers, edges);
    }

    /// <summary>(project, referenced project) for every ProjectReference of every src/*/*.csproj, by folder name.</summary>
    private static HashSet<(string From, string To)> ProjectReferences()
    {
        var edges = new HashSet<(string From, string To)>();
        foreach (var csproj in Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var from = Path.GetFileNameWithoutExtension(csproj);
            foreach (var include in XDocument.Load(csproj).Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include")))
                edges.Add((from, Path.GetFileNameWithoutExtension(include!.Replace('\\', '/'))));
        }
        return edges;
    }
}
