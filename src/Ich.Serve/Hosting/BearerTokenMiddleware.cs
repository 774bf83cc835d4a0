using System.Security.Cryptography;
using System.Text;
using Ich.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Ich.Serve.Hosting;

/// <summary>
/// With --token-file, every route except <see cref="PublicPaths"/> needs <c>Authorization: Bearer TOKEN</c>.
/// The comparison is constant-time over SHA-256 digests, so neither the content nor the length of the
/// token leaks through timing.
/// </summary>
public sealed class BearerTokenMiddleware
{
    /// <summary>
    /// Routes open without a token: the health probe, and the worklist page and its script, which hold no
    /// data (the page asks for the token and sends it with every API call it makes).
    /// </summary>
    public static readonly IReadOnlySet<string> PublicPaths = new HashSet<string>(StringComparer.Ordinal) { "/healthz", "/", "/worklist.js" };

    private readonly RequestDelegate _next;
    private readonly byte[] _tokenDigest;

    public BearerTokenMiddleware(RequestDelegate next, string token)
    {
        _next = next;
        _tokenDigest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Reads the token file: one line, surrounding whitespace ignored, at least 16 characters.</summary>
    public static string ReadTokenFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read the token file: {e.Message}", path);
        }
        if (text.Length < 16 || text.Any(char.IsWhiteSpace))
            throw new ConfigException("the token must be one word of at least 16 characters", path);
        return text;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PublicPaths.Contains(context.Request.Path.Value ?? "") || IsAuthorized(context.Request.Headers.Authorization.ToString()))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync("missing or wrong bearer token\n", context.RequestAborted).ConfigureAwait(false);
    }

    private bool IsAuthorized(string header)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenDigest);
    }
}
