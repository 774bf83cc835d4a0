using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Ich.Serve.Tests.Support;

/// <summary>The parsed answer of a STOW-RS request.</summary>
public sealed record StowReply(HttpStatusCode Status, IReadOnlyList<string> StoredSops, IReadOnlyList<(string? Sop, int Reason)> Failed, string? Warning)
{
    public static async Task<StowReply> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var stored = new List<string>();
        var failed = new List<(string?, int)>();
        if (response.Content.Headers.ContentType?.MediaType == "application/dicom+json" && text.Length > 0)
        {
            var root = JsonNode.Parse(text)!.AsObject();
            foreach (var item in root["00081199"]?["Value"]?.AsArray() ?? [])
                stored.Add(item!["00081155"]!["Value"]![0]!.GetValue<string>());
            foreach (var item in root["00081198"]?["Value"]?.AsArray() ?? [])
                failed.Add((item!["00081155"]?["Value"]?[0]?.GetValue<string>(), item["00081197"]!["Value"]![0]!.GetValue<int>()));
        }
        var warning = response.Headers.TryGetValues("Warning", out var w) ? string.Join(" ", w) : null;
        return new StowReply(response.StatusCode, stored, failed, warning);
    }
}

/// <summary>A minimal STOW-RS client for the tests: builds the multipart/related body by hand.</summary>
public sealed class StowClient(HttpClient http)
{
    public const string Boundary = "test-boundary-7d1f";

    public async Task<StowReply> StoreAsync(IEnumerable<byte[]> parts, CancellationToken cancel = default)
    {
        using var content = new ByteArrayContent(Body(parts));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/related; type=\"application/dicom\"; boundary={Boundary}");
        using var response = await http.PostAsync("/dicomweb/studies", content, cancel);
        return await StowReply.ParseAsync(response);
    }

    /// <summary>The multipart body of <paramref name="parts"/> as application/dicom parts.</summary>
    public static byte[] Body(IEnumerable<byte[]> parts, string? partType = "application/dicom")
    {
        using var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.ASCII.GetBytes($"--{Boundary}\r\n" + (partType is null ? "" : $"Content-Type: {partType}\r\n") + "\r\n"));
            body.Write(part);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        return body.ToArray();
    }
}
