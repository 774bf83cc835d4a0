namespace Ich.DicomWeb;

/// <summary>Settings of a <see cref="DicomWebClient"/>.</summary>
public sealed record DicomWebClientOptions
{
    /// <summary>The DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web/ (studies/... is appended).</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>Attempts per request for 5xx answers and connection failures (1 = no retry). Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Wait before the second attempt; doubles each further attempt. Default 0.5 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest response body read (STOW-RS and QIDO-RS JSON), bytes. Default 16 MiB.</summary>
    public long MaxResponseBytes { get; init; } = 16L << 20;

    /// <summary>Largest STOW-RS request body (all instances of one call together), bytes. Default 1 GiB.</summary>
    public long MaxRequestBytes { get; init; } = 1L << 30;

    /// <summary>Time limit of one attempt (request and response). Default 100 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    internal void Validate()
    {
        if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttp && BaseUri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"BaseUri '{BaseUri}' must be an absolute http(s) URL", nameof(BaseUri));
        if (MaxAttempts is < 1 or > 10) throw new ArgumentException("MaxAttempts must be 1..10", nameof(MaxAttempts));
        if (InitialBackoff < TimeSpan.Zero || InitialBackoff > TimeSpan.FromMinutes(1))
            throw new ArgumentException("InitialBackoff must be 0..60 s", nameof(InitialBackoff));
        if (MaxResponseBytes < 1024) throw new ArgumentException("MaxResponseBytes must be at least 1024", nameof(MaxResponseBytes));
        if (MaxRequestBytes < 1) throw new ArgumentException("MaxRequestBytes must be positive", nameof(MaxRequestBytes));
        if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentException("AttemptTimeout must be positive", nameof(AttemptTimeout));
    }
}
