using System.Net;
using Ich.Core.Errors;

namespace Ich.Serve.Hosting;

/// <summary>Checks options before anything starts, including the rule "no token, no network".</summary>
public static class ServeOptionsValidator
{
    /// <summary>Raises a <see cref="ConfigException"/> naming the bad option; returns the parsed listen URLs.</summary>
    public static IReadOnlyList<Uri> Validate(ServeOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (string.IsNullOrWhiteSpace(o.DataDir)) throw new ConfigException("--data is required");
        if (o.Workers < 1) throw new ConfigException($"--workers must be >= 1 (got {o.Workers})");
        if (o.StableSeconds is < 0 or > 86400) throw new ConfigException($"--stable-seconds must be 0..86400 (got {o.StableSeconds})");
        if (o.MaxAttempts < 1) throw new ConfigException($"--max-attempts must be >= 1 (got {o.MaxAttempts})");
        if (o.LeaseSeconds < 1) throw new ConfigException($"--lease-seconds must be >= 1 (got {o.LeaseSeconds})");
        if (o.MaxPartBytes < 1 || o.MaxBodyBytes < 1) throw new ConfigException("body and part limits must be positive");
        if (o.ForwardTo is not null && !(Uri.TryCreate(o.ForwardTo, UriKind.Absolute, out var f) && f.Scheme is "http" or "https"))
            throw new ConfigException($"--forward-to must be an http(s) URL (got '{o.ForwardTo}')");
        var urls = new List<Uri>();
        foreach (var text in o.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard hosts (* and +) are not valid URI hosts; they mean "every address".
            var normalised = text.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalised, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ConfigException($"--urls: '{text}' is not an http(s) URL");
            if (o.TokenFile is null && !IsLoopback(uri))
                throw new ConfigException($"--urls: refusing to listen on the non-loopback address '{text}' without --token-file");
            urls.Add(uri);
        }
        if (urls.Count == 0) throw new ConfigException("--urls names no address");
        return urls;
    }

    /// <summary>True for localhost, 127.0.0.0/8 and ::1.</summary>
    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.IsLoopback && uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
