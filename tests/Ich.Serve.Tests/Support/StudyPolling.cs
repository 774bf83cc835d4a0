using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ich.Serve.Tests.Support;

/// <summary>Bounded waits on the study API.</summary>
public static class StudyPolling
{
    public static async Task<JsonArray> ListAsync(HttpClient client) =>
        JsonNode.Parse(await client.GetStringAsync("/api/studies"))!.AsArray();

    public static async Task<JsonObject> DetailAsync(HttpClient client, string uid) =>
        JsonNode.Parse(await client.GetStringAsync($"/api/studies/{uid}"))!.AsObject();

    /// <summary>Waits until every one of <paramref name="uids"/> has a status in <paramref name="statuses"/>.</summary>
    public static async Task<JsonArray> WaitForAsync(HttpClient client, IReadOnlyCollection<string> uids, TimeSpan timeout, params string[] statuses)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var list = await ListAsync(client);
            var ready = list.Count(s => uids.Contains(s!["studyInstanceUid"]!.GetValue<string>()) && statuses.Contains(s["status"]!.GetValue<string>()));
            if (ready == uids.Count) return list;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"after {timeout}: {ready}/{uids.Count} studies in [{string.Join(",", statuses)}]: {list.ToJsonString()}");
            await Task.Delay(200);
        }
    }
}
