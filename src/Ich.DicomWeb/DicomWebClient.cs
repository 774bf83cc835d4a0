using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ich.Dicom.Writing;

namespace Ich.DicomWeb;

/// <summary>
/// A small DICOMweb client: STOW-RS store (multipart/related; type="application/dicom") and QIDO-RS search
/// (studies, series, instances) with DICOM JSON responses.
/// <list type="bullet">
/// <item>5xx answers and connection failures/timeouts are retried up to <see cref="DicomWebClientOptions.MaxAttempts"/>
/// times with exponential backoff, then raise <see cref="DicomWebUnavailableException"/>.</item>
/// <item>4xx answers raise <see cref="DicomWebRequestException"/> at once (except STOW-RS 409 with a failure list,
/// which is a <see cref="StowResult"/> whose instances all failed).</item>
/// <item>Response bodies are read up to <see cref="DicomWebClientOptions.MaxResponseBytes"/>; larger or malformed
/// bodies raise <see cref="DicomWebResponseException"/>.</item>
/// </list>
/// The caller owns the <see cref="HttpClient"/> (and its authentication headers, proxy, TLS settings); the
/// client sets no default headers on it. Thread-safe: no per-call state is kept.
/// </summary>
public sealed class DicomWebClient
{
    private const string DicomJson = "application/dicom+json";
    private readonly HttpClient _http;
    private readonly DicomWebClientOptions _options;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="http">Used for every request; its BaseAddress is ignored (<see cref="DicomWebClientOptions.BaseUri"/> counts).</param>
    public DicomWebClient(HttpClient http, DicomWebClientOptions options) : this(http, options, Task.Delay) { }

    /// <summary>For tests: <paramref name="delay"/> replaces the backoff wait.</summary>
    internal DicomWebClient(HttpClient http, DicomWebClientOptions options, Func<TimeSpan, CancellationToken, Task> delay)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = http;
        _options = options;
        _delay = delay;
    }

    /// <summary>Stores Part 10 files (read whole; their total size is bounded by MaxRequestBytes).</summary>
    /// <param name="studyInstanceUid">When set, posts to studies/{uid}: the server refuses instances of other studies.</param>
    public async Task<StowResult> StoreFilesAsync(IEnumerable<string> paths, string? studyInstanceUid = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parts = new List<ReadOnlyMemory<byte>>();
        long total = 0;
        foreach (var path in paths)
        {
            var length = new FileInfo(path).Length;
            total += length;
            if (total > _options.MaxRequestBytes)
                throw new ArgumentException($"the files exceed MaxRequestBytes ({_options.MaxRequestBytes}) at {path}", nameof(paths));
            parts.Add(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
        }
        return await StoreAsync(parts, studyInstanceUid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores Part 10 instances given as bytes (each a whole file with preamble and meta group).</summary>
    public async Task<StowResult> StoreAsync(IReadOnlyList<ReadOnlyMemory<byte>> instances, string? studyInstanceUid = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (instances.Count == 0) throw new ArgumentException("nothing to store", nameof(instances));
        var url = Url("studies" + (studyInstanceUid is null ? "" : "/" + CheckedUid(studyInstanceUid)), null);
        var boundary = "ich-" + Guid.NewGuid().ToString("N");
        var body = MultipartBody(instances, boundary);
        if (body.Length > _options.MaxRequestBytes)
            throw new ArgumentException($"the request of {body.Length} bytes exceeds MaxRequestBytes", nameof(instances));

        var (status, responseBody) = await SendAsync(() =>
        {
            var content = new ByteArrayContent(body);
            var type = new MediaTypeHeaderValue("multipart/related");
            type.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
            type.Parameters.Add(new NameValueHeaderValue("boundary", boundary));
            content.Headers.ContentType = type;
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));
            return request;
        }, url, cancellationToken).ConfigureAwait(false);

        if (status is 200 or 202 or 409)
        {
            var datasets = ParseJson(responseBody, url, status, allowEmpty: status == 200 && responseBody.Length == 0);
            var result = datasets.Count == 0 ? new StowResult(status, [], []) : ToStowResult(status, datasets[0]);
            if (status == 409 && result.Failed.Count == 0)
                throw new DicomWebRequestException($"STOW-RS refused the request (409) without a failure list: {Snippet(responseBody)}", url, status);
            return result;
        }
        throw RequestError(status, responseBody, url);
    }

    /// <summary>QIDO-RS {root}/studies.</summary>
    public Task<IReadOnlyList<DicomJsonDataset>> SearchStudiesAsync(QidoQuery? query = null, CancellationToken cancellationToken = default) =>
        SearchAsync("studies", query, cancellationToken);

    /// <summary>QIDO-RS {root}/series, or {root}/studies/{study}/series when <paramref name="studyInstanceUid"/> is set.</summary>
    public Task<IReadOnlyList<DicomJsonDataset>> SearchSeriesAsync(string? studyInstanceUid = null, QidoQuery? query = null,
        CancellationToken cancellationToken = default) =>
        SearchAsync((studyInstanceUid is null ? "" : $"studies/{CheckedUid(studyInstanceUid)}/") + "series", query, cancellationToken);

    /// <summary>QIDO-RS {root}/instances, narrowed to a study and optionally a series of it.</summary>
    public Task<IReadOnlyList<DicomJsonDataset>> SearchInstancesAsync(string? studyInstanceUid = null, string? seriesInstanceUid = null,
        QidoQuery? query = null, CancellationToken cancellationToken = default)
    {
        if (seriesInstanceUid is not null && studyInstanceUid is null)
            throw new ArgumentException("a series is searched within a study: give the study UID too", nameof(seriesInstanceUid));
        var path = (studyInstanceUid is null ? "" : $"studies/{CheckedUid(studyInstanceUid)}/")
                   + (seriesInstanceUid is null ? "" : $"series/{CheckedUid(seriesInstanceUid)}/") + "instances";
        return SearchAsync(path, query, cancellationToken);
    }

    private async Task<IReadOnlyList<DicomJsonDataset>> SearchAsync(string path, QidoQuery? query, CancellationToken cancellationToken)
    {
        var url = Url(path, query?.ToQueryString());
        var (status, body) = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJson));
            return request;
        }, url, cancellationToken).ConfigureAwait(false);
        if (status == 204) return [];
        if (status == 200) return ParseJson(body, url, status, allowEmpty: true);
        throw RequestError(status, body, url);
    }

    /// <summary>One request with bounded retries; returns the final non-5xx status and body.</summary>
    private async Task<(int Status, byte[] Body)> SendAsync(Func<HttpRequestMessage> makeRequest, string url, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Exception? failure = null;
            int? status = null;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.AttemptTimeout);
                try
                {
                    using var request = makeRequest();
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    if (status < 500) return (status.Value, await ReadBoundedAsync(response, url, timeout.Token).ConfigureAwait(false));
                    failure = new HttpRequestException($"HTTP {status}", null, response.StatusCode);
                }
                catch (HttpRequestException e) { failure = e; }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested) { failure = e; }
            }
            if (attempt >= _options.MaxAttempts)
                throw new DicomWebUnavailableException(
                    $"no success after {attempt} attempt(s): {(status is { } s ? $"HTTP {s}" : failure.Message)}", url, status, failure);
            await _delay(_options.InitialBackoff * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string url, CancellationToken cancellationToken)
    {
        var max = _options.MaxResponseBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > max)
            throw new DicomWebResponseException($"response of {declared} bytes exceeds the limit of {max}", url, (int)response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
                throw new DicomWebResponseException($"response exceeds the limit of {max} bytes", url, (int)response.StatusCode);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IReadOnlyList<DicomJsonDataset> ParseJson(byte[] body, string url, int status, bool allowEmpty)
    {
        if (body.Length == 0)
            return allowEmpty ? [] : throw new DicomWebResponseException("empty response where DICOM JSON was expected", url, status);
        try
        {
            return DicomJsonDataset.Parse(body);
        }
        catch (JsonException e)
        {
            throw new DicomWebResponseException($"response is not DICOM JSON: {e.Message}", url, status, e);
        }
    }

    private static StowResult ToStowResult(int status, DicomJsonDataset response)
    {
        var stored = response.GetSequence(DicomJsonTags.ReferencedSopSequence)
            .Select(i => new StowStoredInstance(i.GetString(DicomJsonTags.ReferencedSopClassUid) ?? "",
                i.GetString(DicomJsonTags.ReferencedSopInstanceUid) ?? "", i.GetString(DicomJsonTags.RetrieveUrl),
                i.GetInt(DicomJsonTags.WarningReason)))
            .ToArray();
        var failed = response.GetSequence(DicomJsonTags.FailedSopSequence)
            .Select(i => new StowFailedInstance(i.GetString(DicomJsonTags.ReferencedSopClassUid) ?? "",
                i.GetString(DicomJsonTags.ReferencedSopInstanceUid) ?? "", i.GetInt(DicomJsonTags.FailureReason)))
            .ToArray();
        return new StowResult(status, stored, failed);
    }

    private static DicomWebRequestException RequestError(int status, byte[] body, string url) =>
        new($"HTTP {status} {(HttpStatusCode)status}: {Snippet(body)}", url, status);

    /// <summary>The start of a body for an error message, non-printable characters replaced.</summary>
    private static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
        return new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
    }

    private string Url(string path, string? query)
    {
        var root = _options.BaseUri.AbsoluteUri.TrimEnd('/') + "/";
        return root + path + (string.IsNullOrEmpty(query) ? "" : "?" + query);
    }

    /// <summary>A UID goes into the URL path only when valid (digits and dots), so it cannot change the path.</summary>
    private static string CheckedUid(string uid) =>
        DicomUids.IsValid(uid) ? uid : throw new ArgumentException($"'{uid}' is not a valid UID", nameof(uid));

    /// <summary>The multipart/related body (RFC 2387): one application/dicom part per instance.</summary>
    internal static byte[] MultipartBody(IReadOnlyList<ReadOnlyMemory<byte>> instances, string boundary)
    {
        using var body = new MemoryStream();
        var partHeader = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n");
        foreach (var instance in instances)
        {
            body.Write(partHeader);
            body.Write(instance.Span);
            body.Write("\r\n"u8);
        }
        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return body.ToArray();
    }
}
