using System.Globalization;
using System.Text.Json.Nodes;
using Ich.Serve.Queue;
using Ich.Serve.Work;

namespace Ich.Serve.Api;

/// <summary>The JSON shapes of /api/studies, with the field names of the service contract (docs/deploy.md).</summary>
public static class StudyJson
{
    /// <summary>One entry of GET /api/studies.</summary>
    public static JsonObject Summary(StudyRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var max = new JsonObject();
        foreach (var (name, value) in row.Max ?? new Dictionary<string, double>()) max[name] = value;
        return new JsonObject
        {
            ["studyInstanceUid"] = row.StudyInstanceUid,
            ["accessionNumber"] = row.AccessionNumber,
            ["received"] = row.Received.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["status"] = row.Status,
            ["attempts"] = row.Attempts,
            ["triage"] = row.Triage ?? false,
            ["maxAny"] = row.MaxAny,
            ["max"] = max,
            ["flaggedClasses"] = new JsonArray((row.FlaggedClasses ?? []).Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["modelVersion"] = row.ModelVersion,
            ["error"] = row.Error,
        };
    }

    /// <summary>GET /api/studies/{uid}: the summary plus the instance count and per-slice probabilities.</summary>
    public static JsonObject Detail(StudyRow row, StoredResult? result)
    {
        var json = Summary(row);
        json["instances"] = row.InstanceCount;
        var slices = new JsonArray();
        foreach (var slice in result?.Slices ?? [])
        {
            var probabilities = new JsonObject();
            foreach (var (name, p) in slice.Probabilities) probabilities[name] = p;
            slices.Add(new JsonObject
            {
                ["index"] = slice.Index,
                ["sopInstanceUid"] = slice.SopInstanceUid,
                ["probabilities"] = probabilities,
            });
        }
        json["slices"] = slices;
        return json;
    }
}
