using System.Text.Json;
using Ich.Core;
using Ich.Core.Errors;

namespace Ich.Metrics.Evaluation;

/// <summary>
/// Per-level, per-class thresholds chosen on one set, to be applied unchanged to another
/// (<c>ich evaluate --thresholds FILE</c>). Stored as the <c>"thresholds"</c> object of metrics.json:
/// <c>{"rule": "youden", "slice": {"any": 0.41, ...}, "scan": {...}}</c>; null = undefined on the source set.
/// </summary>
public sealed record ThresholdSet(string Rule, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double?>> Levels, string? Source = null)
{
    /// <summary>The threshold of a class at a level; null when it was undefined where it was chosen.</summary>
    public double? Get(string level, string className, string? path = null)
    {
        if (!Levels.TryGetValue(level, out var classes))
            throw new ConfigException($"the thresholds file has no '{level}' level (it has: {string.Join(", ", Levels.Keys)})", path ?? Source);
        return classes.TryGetValue(className, out var t) ? t
            : throw new ConfigException($"the thresholds file has no '{className}' threshold at the {level} level", path ?? Source);
    }

    /// <summary>Reads the "thresholds" object of a metrics.json (or of a file holding only that object).</summary>
    public static ThresholdSet Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("thresholds file not found", path);
        JsonElement root;
        try { root = JsonDocument.Parse(File.ReadAllText(path)).RootElement; }
        catch (JsonException e) { throw new ConfigException($"not valid JSON: {e.Message}", path); }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("thresholds", out var t) || t.ValueKind != JsonValueKind.Object)
            throw new ConfigException("no \"thresholds\" object (expected a metrics.json written by ich evaluate)", path);
        var rule = t.TryGetProperty("rule", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "unknown";
        var levels = new Dictionary<string, IReadOnlyDictionary<string, double?>>(StringComparer.Ordinal);
        foreach (var level in t.EnumerateObject().Where(p => p.Name is "slice" or "scan"))
        {
            if (level.Value.ValueKind != JsonValueKind.Object) throw new ConfigException($"thresholds.{level.Name} is not an object", path);
            var classes = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var c in level.Value.EnumerateObject())
            {
                if (HemorrhageClasses.IndexOf(c.Name) < 0) throw new ConfigException($"thresholds.{level.Name}: unknown class '{c.Name}'", path);
                classes[c.Name] = c.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Number when double.IsFinite(c.Value.GetDouble()) => c.Value.GetDouble(),
                    _ => throw new ConfigException($"thresholds.{level.Name}.{c.Name} is not a number or null", path),
                };
            }
            levels[level.Name] = classes;
        }
        if (levels.Count == 0) throw new ConfigException("\"thresholds\" has neither a 'slice' nor a 'scan' level", path);
        return new ThresholdSet(rule, levels, path);
    }
}
