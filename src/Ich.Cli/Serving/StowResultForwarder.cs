using Ich.DicomWeb;
using Ich.Serve.Work;

namespace Ich.Cli.Serving;

/// <summary>
/// <c>ich serve --forward-to URL</c>: sends a study's SR/KOS/SC objects to a DICOMweb server (the PACS) by STOW-RS,
/// with the client's bounded retries. An instance the server refuses fails the attempt, so the service retries
/// the study later (up to --max-attempts) instead of marking it done with results missing in the PACS.
/// </summary>
internal sealed class StowResultForwarder : IResultForwarder, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan }; // the client bounds each attempt itself
    private readonly DicomWebClient _client;

    public StowResultForwarder(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri))
            throw new Ich.Core.Errors.ConfigException($"--forward-to '{baseUrl}' is not an absolute http(s) URL");
        _client = new DicomWebClient(_http, new DicomWebClientOptions { BaseUri = uri });
    }

    public async Task ForwardAsync(string studyInstanceUid, IReadOnlyList<string> dicomFiles, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(dicomFiles);
        if (dicomFiles.Count == 0) return;
        var result = await _client.StoreFilesAsync(dicomFiles, studyInstanceUid, cancel).ConfigureAwait(false);
        if (!result.AllStored)
            throw new IOException($"the DICOMweb server refused {result.Failed.Count} of {dicomFiles.Count} result instances of study {studyInstanceUid} " +
                                  $"(first: {result.Failed[0].SopInstanceUid}, reason {result.Failed[0].FailureReason?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})");
    }

    public void Dispose() => _http.Dispose();
}
