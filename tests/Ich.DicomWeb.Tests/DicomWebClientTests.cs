using System.Net;
using System.Text;

namespace Ich.DicomWeb.Tests;

/// <summary>The client's protocol handling against scripted answers: request shape, retries, typed errors, bounds.</summary>
public sealed class DicomWebClientTests
{
    private const string Study = "1.2.826.0.1.3680043.8.498.1";
    private readonly List<TimeSpan> _delays = [];

    private DicomWebClient Client(ScriptedHandler handler, int attempts = 3, long maxResponse = 16 << 20) =>
        new(new HttpClient(handler), new DicomWebClientOptions
        {
            BaseUri = new Uri("http://127.0.0.1:9/dicom-web/"), MaxAttempts = attempts, MaxResponseBytes = maxResponse,
        }, (d, _) => { _delays.Add(d); return Task.CompletedTask; });

    // A STOW-RS response as PS3.18 §10.5.3.2 describes it, written by hand: one stored, one failed (0xA700 = 42752).
    private const string PartialStow = """
        { "00081190": { "vr": "UR", "Value": ["http://pacs/dicom-web/studies/1.2.826.0.1.3680043.8.498.1"] },
          "00081198": { "vr": "SQ", "Value": [ {
              "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.7"] },
              "00081155": { "vr": "UI", "Value": ["1.2.3.5"] },
              "00081197": { "vr": "US", "Value": [42752] } } ] },
          "00081199": { "vr": "SQ", "Value": [ {
              "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.88.33"] },
              "00081155": { "vr": "UI", "Value": ["1.2.3.4"] },
              "00081190": { "vr": "UR", "Value": ["http://pacs/dicom-web/studies/1.2.826.0.1.3680043.8.498.1/series/9/instances/1.2.3.4"] } } ] } }
        """;

    [Fact]
    public async Task Store_PostsMultipartRelated_OneApplicationDicomPartPerInstance()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.OK, "{ \"00081199\": { \"vr\": \"SQ\", \"Value\": [] } }"));
        byte[] a = [1, 2, 3, 13, 10, 45, 45], b = Encoding.ASCII.GetBytes("second instance");
        await Client(handler).StoreAsync([a, b], Study);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal($"http://127.0.0.1:9/dicom-web/studies/{Study}", request.RequestUri!.AbsoluteUri);
        Assert.Equal("application/dicom+json", Assert.Single(request.Headers.Accept).MediaType);
        var type = request.Content!.Headers.ContentType!;
        Assert.Equal("multipart/related", type.MediaType);
        Assert.Equal("\"application/dicom\"", type.Parameters.Single(p => p.Name == "type").Value);
        var boundary = type.Parameters.Single(p => p.Name == "boundary").Value!;

        // Split the body at the delimiters (RFC 2046 §5.1.1) and compare each part's payload with the input.
        var text = Encoding.Latin1.GetString(body);
        Assert.EndsWith($"\r\n--{boundary}--\r\n", text, StringComparison.Ordinal);
        var parts = text[..text.LastIndexOf($"\r\n--{boundary}--", StringComparison.Ordinal)]
            .Split($"--{boundary}\r\n", StringSplitOptions.None).Skip(1).ToArray();
        Assert.Equal(2, parts.Length);
        const string header = "Content-Type: application/dicom\r\n\r\n";
        Assert.All(parts, p => Assert.StartsWith(header, p, StringComparison.Ordinal));
        Assert.Equal(a, Encoding.Latin1.GetBytes(parts[0][header.Length..^2]));
        Assert.Equal(b, Encoding.Latin1.GetBytes(parts[1][header.Length..]));
    }

    [Fact]
    public async Task Store_ParsesReferencedAndFailedSopSequences()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.Accepted, PartialStow));
        var result = await Client(handler).StoreAsync([new byte[] { 1 }]);
        Assert.Equal(202, result.StatusCode);
        Assert.False(result.AllStored);
        var stored = Assert.Single(result.Stored);
        Assert.Equal(("1.2.840.10008.5.1.4.1.1.88.33", "1.2.3.4"), (stored.SopClassUid, stored.SopInstanceUid));
        Assert.EndsWith("/instances/1.2.3.4", stored.RetrieveUrl, StringComparison.Ordinal);
        var failed = Assert.Single(result.Failed);
        Assert.Equal(("1.2.840.10008.5.1.4.1.1.7", "1.2.3.5", (int?)0xA700), (failed.SopClassUid, failed.SopInstanceUid, failed.FailureReason));
    }

    [Fact]
    public async Task Store_409WithFailureList_IsAResultWithEveryInstanceFailed()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.Conflict, """
            { "00081198": { "vr": "SQ", "Value": [ { "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.7"] },
                                                     "00081155": { "vr": "UI", "Value": ["1.2.3.5"] },
                                                     "00081197": { "vr": "US", "Value": [290] } } ] } }
            """));
        var result = await Client(handler).StoreAsync([new byte[] { 1 }]);
        Assert.Equal(409, result.StatusCode);
        Assert.Empty(result.Stored);
        Assert.Equal(0x0122, Assert.Single(result.Failed).FailureReason);
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithExponentialBackoff_ThenSucceed()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.ServiceUnavailable),
            ScriptedHandler.Refuse(), ScriptedHandler.Respond(HttpStatusCode.OK, "[]"));
        var found = await Client(handler).SearchStudiesAsync();
        Assert.Empty(found);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000)], _delays);
    }

    [Fact]
    public async Task ServerErrors_ThroughEveryAttempt_RaiseUnavailable()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.BadGateway), ScriptedHandler.Respond(HttpStatusCode.BadGateway));
        var e = await Assert.ThrowsAsync<DicomWebUnavailableException>(() => Client(handler, attempts: 2).StoreAsync([new byte[] { 1 }]));
        Assert.Equal(502, e.StatusCode);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains("after 2 attempt(s)", e.Message, StringComparison.Ordinal);

        var refused = new ScriptedHandler(ScriptedHandler.Refuse(), ScriptedHandler.Refuse(), ScriptedHandler.Refuse());
        var c = await Assert.ThrowsAsync<DicomWebUnavailableException>(() => Client(refused).SearchStudiesAsync());
        Assert.Null(c.StatusCode);
        Assert.Equal(3, refused.Requests.Count);
    }

    [Fact]
    public async Task ClientErrors_RaiseTypedRequestErrors_WithoutRetry()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.BadRequest, "{\"error\":\"bad key\"}"));
        var e = await Assert.ThrowsAsync<DicomWebRequestException>(() =>
            Client(handler).SearchStudiesAsync(new QidoQuery { Match = new Dictionary<string, string> { ["PatientID"] = "A&B" } }));
        Assert.Equal(400, e.StatusCode);
        Assert.Contains("bad key", e.Message, StringComparison.Ordinal);
        Assert.Single(handler.Requests);
        Assert.Empty(_delays);
        Assert.Equal("http://127.0.0.1:9/dicom-web/studies?PatientID=A%26B", handler.Requests[0].Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Search_BuildsPathsAndQuery_AndParsesDicomJson()
    {
        var handler = new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.OK, """
            [ { "0020000E": { "vr": "UI", "Value": ["1.2.3.9"] }, "00080060": { "vr": "CS", "Value": ["SR"] },
                "00200011": { "vr": "IS", "Value": [901] }, "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Ångström^Zoë" } ] } } ]
            """), ScriptedHandler.Respond(HttpStatusCode.NoContent));
        var client = Client(handler);
        var series = await client.SearchSeriesAsync(Study, new QidoQuery
        {
            Match = new Dictionary<string, string> { ["Modality"] = "SR" }, IncludeFields = ["00080080"], Limit = 5, Offset = 2,
        });
        Assert.Equal($"http://127.0.0.1:9/dicom-web/studies/{Study}/series?Modality=SR&includefield=00080080&limit=5&offset=2",
            handler.Requests[0].Request.RequestUri!.AbsoluteUri);
        var s = Assert.Single(series);
        Assert.Equal("1.2.3.9", s.GetString(DicomJsonTags.SeriesInstanceUid));
        Assert.Equal("SR", s.GetString(DicomJsonTags.Modality));
        Assert.Equal(901, s.GetInt(DicomJsonTags.SeriesNumber));
        Assert.Equal("Ångström^Zoë", s.GetString(DicomJsonTags.PatientName));
        Assert.Equal("UI", s.GetVR("0020000e"));

        Assert.Empty(await client.SearchInstancesAsync(Study, "1.2.3.9"));
        Assert.Equal($"http://127.0.0.1:9/dicom-web/studies/{Study}/series/1.2.3.9/instances", handler.Requests[1].Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task OversizeOrMalformedResponses_AreRefused()
    {
        var big = "[" + string.Join(',', Enumerable.Repeat("{}", 2000)) + "]";
        var e = await Assert.ThrowsAsync<DicomWebResponseException>(() =>
            Client(new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.OK, big)), maxResponse: 2048).SearchStudiesAsync());
        Assert.Contains("exceeds the limit of 2048", e.Message, StringComparison.Ordinal);

        // No Content-Length: the streaming read stops at the limit too.
        var chunked = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new NoLengthStream(Encoding.ASCII.GetBytes(big))) });
        await Assert.ThrowsAsync<DicomWebResponseException>(() => Client(chunked, maxResponse: 2048).SearchStudiesAsync());

        foreach (var bad in new[] { "not json", "[ { \"nottag\": { \"vr\": \"UI\" } } ]", "[ { \"0020000D\": { \"Value\": [] } } ]", "42" })
            await Assert.ThrowsAsync<DicomWebResponseException>(() =>
                Client(new ScriptedHandler(ScriptedHandler.Respond(HttpStatusCode.OK, bad))).SearchStudiesAsync());
    }

    [Fact]
    public async Task BadUidsAndKeys_AreRefused_BeforeAnyRequest()
    {
        var handler = new ScriptedHandler();
        var client = Client(handler);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SearchSeriesAsync("1.2/../../x"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.StoreAsync([new byte[] { 1 }], "1..2"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SearchStudiesAsync(new QidoQuery { Match = new Dictionary<string, string> { ["a=b&c"] = "1" } }));
        Assert.Empty(handler.Requests);
    }

    /// <summary>A readable stream that does not report its length (as a chunked response).</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
