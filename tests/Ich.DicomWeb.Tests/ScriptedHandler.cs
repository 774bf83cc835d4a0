using System.Net;

namespace Ich.DicomWeb.Tests;

/// <summary>An HttpMessageHandler that answers from a script, one step per request, and records the requests.</summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] steps) : HttpMessageHandler
{
    private int _next;

    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Add((request, body));
        if (_next >= steps.Length) throw new InvalidOperationException("the script has no more responses");
        return steps[_next++](request);
    }

    public static Func<HttpRequestMessage, HttpResponseMessage> Respond(HttpStatusCode status, string? json = null) =>
        _ => new HttpResponseMessage(status)
        {
            Content = json is null ? new ByteArrayContent([]) : new StringContent(json, System.Text.Encoding.UTF8, "application/dicom+json"),
        };

    public static Func<HttpRequestMessage, HttpResponseMessage> Refuse() =>
        _ => throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111));
}
