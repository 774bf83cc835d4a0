using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ich.Serve.Api;

/// <summary>
/// GET / (the worklist) and GET /worklist.js, served from embedded resources. The page holds no data:
/// its script reads /api/studies with the bearer token the user enters once (kept in sessionStorage), and
/// builds every cell with textContent, so nothing from the API is ever parsed as HTML.
/// </summary>
public static class WorklistPage
{
    /// <summary>Same origin only, no inline script, nothing from elsewhere.</summary>
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder app)
    {
        var html = Load("worklist.html");
        var script = Load("worklist.js");
        app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers.ContentSecurityPolicy = Policy;
            return Results.Bytes(html, "text/html; charset=utf-8");
        });
        app.MapGet("/worklist.js", () => Results.Bytes(script, "text/javascript; charset=utf-8"));
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(WorklistPage).Assembly.GetManifestResourceStream($"Ich.Serve.Worklist.{name}")
                           ?? throw new InvalidOperationException($"embedded resource {name} missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
