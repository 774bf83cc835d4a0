using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core.Errors;

namespace Ich.Synth.Output;

/// <summary>
/// <c>synth.json</c> in a phantom folder: the options that drew it (seed, size, thickness, style, shift groups, label
/// rule). Why: the label rule changes labels.csv and the masks but no pixel and no scans.csv column, so a folder must say
/// which rule wrote it before a pipeline may reuse it. Folders written before this file existed have none; they were
/// written with the geometric rule.
/// </summary>
public static class SynthSettingsFile
{
    public const string FileName = "synth.json";

    private sealed record Settings(
        [property: JsonPropertyName("seed")] ulong Seed,
        [property: JsonPropertyName("size")] int Size,
        [property: JsonPropertyName("thickness")] string Thickness,
        [property: JsonPropertyName("style")] PhantomStyle Style,
        [property: JsonPropertyName("shiftGroups")] IReadOnlyList<string> ShiftGroups,
        [property: JsonPropertyName("labels")] PhantomLabelRule Labels);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void Write(string folder, SynthOptions options)
    {
        var thickness = options.ThicknessMm is { } t ? t.ToString(CultureInfo.InvariantCulture) : "mixed";
        var text = JsonSerializer.Serialize(new Settings(options.Seed, options.Size, thickness, options.Style, options.ShiftGroups, options.Labels), Json);
        File.WriteAllText(Path.Combine(folder, FileName), text + "\n");
    }

    /// <summary>The label rule a folder was written with: geometric when it has no <c>synth.json</c> (older folders).</summary>
    public static PhantomLabelRule LabelRule(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return PhantomLabelRule.Geometric;
        try
        {
            return (JsonSerializer.Deserialize<Settings>(File.ReadAllText(path), Json) ?? throw new JsonException("empty")).Labels;
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException($"unreadable phantom settings: {e.Message}", path);
        }
    }
}
