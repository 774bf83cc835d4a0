namespace Ich.Core.Errors;

/// <summary>
/// A network request (e.g. a DICOMweb STOW-RS upload) that is malformed: wrong or missing media type,
/// truncated or broken multipart framing, an oversized part. <see cref="IchException.Path"/> names the
/// request item (e.g. "part 3"); the service maps it to a 4xx status.
/// </summary>
public sealed class RequestFormatException(string message, string? item = null, RequestProblem problem = RequestProblem.Malformed)
    : IchException(message, item)
{
    /// <summary>What kind of problem it is, so the HTTP layer can pick the status code.</summary>
    public RequestProblem Problem { get; } = problem;
}

/// <summary>The kinds of <see cref="RequestFormatException"/>.</summary>
public enum RequestProblem
{
    /// <summary>Broken framing or headers (HTTP 400).</summary>
    Malformed,
    /// <summary>A media type the endpoint does not accept (HTTP 415).</summary>
    UnsupportedMediaType,
    /// <summary>A body or part above the configured limit (HTTP 413).</summary>
    TooLarge,
}
