using Ich.Core.Errors;

namespace Ich.DicomWeb;

/// <summary>Root of the DICOMweb client's errors; <see cref="IchException.Path"/> is the request URL.</summary>
public abstract class DicomWebException(string message, string url, int? statusCode, Exception? inner = null)
    : IchException(message, url, inner)
{
    /// <summary>The HTTP status of the last response, or null when no response arrived.</summary>
    public int? StatusCode { get; } = statusCode;
}

/// <summary>
/// The server refused the request (HTTP 4xx other than a STOW-RS 409 with a failure list): bad query, unknown
/// study, unsupported media type, authentication. Never retried - the same request would fail again.
/// </summary>
public sealed class DicomWebRequestException(string message, string url, int statusCode)
    : DicomWebException(message, url, statusCode);

/// <summary>The server stayed unreachable or answered 5xx through every attempt (bounded retries with backoff).</summary>
public sealed class DicomWebUnavailableException(string message, string url, int? statusCode, Exception? inner = null)
    : DicomWebException(message, url, statusCode, inner);

/// <summary>The server answered, but the response is not what DICOMweb specifies (too large, not JSON, wrong shape).</summary>
public sealed class DicomWebResponseException(string message, string url, int? statusCode, Exception? inner = null)
    : DicomWebException(message, url, statusCode, inner);
