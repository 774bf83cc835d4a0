using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// Edits a recorded sequence fingerprint (<c>SettingsFingerprint.Of</c>, optionally followed by a fold record's suffix)
/// as an older or newer version of the code would have written it.
/// </summary>
internal static class OlderFingerprint
{
    /// <summary>The fingerprint with the config edited by <paramref name="edit"/> (the config's JSON object).</summary>
    public static string Edit(string key, Action<JsonObject> edit)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var reader = new Utf8JsonReader(bytes);
        var print = JsonNode.Parse(ref reader)!.AsObject();
        var suffix = Encoding.UTF8.GetString(bytes, (int)reader.BytesConsumed, bytes.Length - (int)reader.BytesConsumed);
        var config = JsonNode.Parse(print["config"]!.GetValue<string>())!.AsObject();
        edit(config);
        print["config"] = config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return print.ToJsonString() + suffix;
    }

    /// <summary>As code from before the network option <paramref name="option"/> existed would have written it.</summary>
    public static string WithoutNetworkOption(string key, string option) =>
        Edit(key, config => Assert.True(config["network"]!.AsObject().Remove(option), $"the fingerprint has no network option {option}"));
}
