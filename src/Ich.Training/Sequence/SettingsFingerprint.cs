using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ich.Training.Features;

namespace Ich.Training.Sequence;

/// <summary>
/// What a sequence stage's folds are a function of (<see cref="Of"/>), and whether a recorded fingerprint — a fold's
/// <see cref="FoldRecord"/>, the <c>train all</c> stage stamp — still describes the current settings (<see cref="Matches"/>).
/// </summary>
/// <remarks>
/// Recorded fingerprints are compared by meaning, not by text. An option the code gained after the recording was made
/// counts as the same training when the current config leaves it at its default: every option is added so that its
/// default does what the code did before it existed, so the recorded run was trained that way. Before this, adding any
/// defaulted option made every finished run's sequence stage look unfinished and retrain (an hour on two cores). Every
/// other difference is a different training: a changed value, a changed default of an option the recording holds (it
/// holds the value it was trained with), an option the code no longer has, a new option set away from its default or
/// inside a section the defaults leave empty, other feature stores, or another suffix (system, fold, threads).
/// </remarks>
public static class SettingsFingerprint
{
    /// <summary>
    /// The sequence settings (the model section aside: packaging trains nothing) and the OOF stores' meta files with
    /// their write times, so a retrained CNN stage or any changed setting trains the folds again.
    /// </summary>
    public static string Of(SeqTrainConfig config) =>
        JsonSerializer.Serialize(new
        {
            config = JsonSerializer.Serialize(config with { Model = null }, SeqTrainConfig.JsonOptions),
            stores = config.OofStores.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => Path.Combine(config.Resolve(kv.Value), FeatureStoreFiles.Meta))
                .Select(meta => File.ReadAllText(meta) + File.GetLastWriteTimeUtc(meta).Ticks)
                .ToList(),
        });

    private static readonly Lazy<JsonNode> Defaults =
        new(() => JsonSerializer.SerializeToNode(new SeqTrainConfig() with { Model = null }, SeqTrainConfig.JsonOptions)!);

    /// <summary>
    /// Whether <paramref name="recorded"/> describes the same training as <paramref name="current"/>. Both are a
    /// fingerprint from <see cref="Of"/>, optionally followed by a suffix (a fold record's system, fold and thread count),
    /// which must be equal as text. Anything that does not parse matches only when the two texts are equal.
    /// </summary>
    public static bool Matches(string recorded, string current)
    {
        if (recorded == current) return true;
        if (!TrySplit(recorded, out var recordedPrint, out var recordedSuffix) || !TrySplit(current, out var currentPrint, out var currentSuffix)
            || recordedSuffix != currentSuffix)
            return false;
        try
        {
            if (!JsonNode.DeepEquals(recordedPrint["stores"], currentPrint["stores"])) return false;
            if (recordedPrint["config"]?.GetValue<string>() is not { } recordedConfig
                || currentPrint["config"]?.GetValue<string>() is not { } currentConfig)
                return false;
            return SameSettings(JsonNode.Parse(recordedConfig), JsonNode.Parse(currentConfig), Defaults.Value);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;   // a fingerprint of another shape: not the same training
        }
    }

    /// <summary>The leading JSON object of a key and the text after it.</summary>
    private static bool TrySplit(string key, out JsonObject fingerprint, out string suffix)
    {
        fingerprint = null!;
        suffix = "";
        var bytes = Encoding.UTF8.GetBytes(key);
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (JsonNode.Parse(ref reader) is not JsonObject parsed) return false;
            fingerprint = parsed;
            suffix = Encoding.UTF8.GetString(bytes, (int)reader.BytesConsumed, bytes.Length - (int)reader.BytesConsumed);
            return true;
        }
        catch (JsonException) { return false; }
    }

    private static bool SameSettings(JsonNode? recorded, JsonNode? current, JsonNode? defaults)
    {
        if (recorded is not JsonObject recordedObject || current is not JsonObject currentObject)
            return JsonNode.DeepEquals(recorded, current);
        foreach (var (name, _) in recordedObject)
            if (!currentObject.ContainsKey(name)) return false;   // an option the code no longer has
        var defaultObject = defaults as JsonObject;
        foreach (var (name, value) in currentObject)
        {
            JsonNode? defaultValue = null;
            var hasDefault = defaultObject is not null && defaultObject.TryGetPropertyValue(name, out defaultValue);
            if (recordedObject.TryGetPropertyValue(name, out var recordedValue))
            {
                if (!SameSettings(recordedValue, value, hasDefault ? defaultValue : null)) return false;
            }
            else if (!hasDefault || !JsonNode.DeepEquals(value, defaultValue))
                return false;   // a newer option set away from its default (or one without a known default)
        }
        return true;
    }
}
