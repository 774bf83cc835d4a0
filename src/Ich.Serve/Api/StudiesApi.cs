using System.Text.Json.Nodes;
using Ich.Dicom.Writing;
using Ich.Serve.Queue;
using Ich.Serve.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ich.Serve.Api;

/// <summary>GET /api/studies, /api/studies/{uid}, /report and /dicom.</summary>
public static class StudiesApi
{
    /// <summary>The report may run its own inline script and images, but reach nothing outside itself.</summary>
    private const string ReportPolicy = "default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/studies", async (IStudyQueueStore queue, CancellationToken cancel) =>
        {
            var rows = await queue.ListAsync(cancel).ConfigureAwait(false);
            return Results.Content(new JsonArray(rows.Select(r => (JsonNode)StudyJson.Summary(r)).ToArray()).ToJsonString(), "application/json");
        });

        app.MapGet("/api/studies/{uid}", async (string uid, IStudyQueueStore queue, ResultStore results, CancellationToken cancel) =>
        {
            if (!DicomUids.IsValid(uid)) return Results.BadRequest("not a valid Study Instance UID");
            var row = await queue.GetAsync(uid, cancel).ConfigureAwait(false);
            if (row is null) return Results.NotFound();
            var result = row.ResultFolder is { } folder ? results.Read(folder) : null;
            return Results.Content(StudyJson.Detail(row, result).ToJsonString(), "application/json");
        });

        app.MapGet("/api/studies/{uid}/report", async (string uid, HttpContext context, IStudyQueueStore queue, ResultStore results, CancellationToken cancel) =>
        {
            if (!DicomUids.IsValid(uid)) return Results.BadRequest("not a valid Study Instance UID");
            var row = await queue.GetAsync(uid, cancel).ConfigureAwait(false);
            if (row?.ResultFolder is not { } folder) return Results.NotFound("no result yet");
            var result = results.Read(folder);
            if (result.Report is null) return Results.NotFound("the processor wrote no report");
            context.Response.Headers.ContentSecurityPolicy = ReportPolicy;
            return Results.File(results.FileOf(folder, result.Report), "text/html; charset=utf-8");
        });

        app.MapGet("/api/studies/{uid}/dicom", async (string uid, HttpContext context, IStudyQueueStore queue, ResultStore results, CancellationToken cancel) =>
        {
            if (!DicomUids.IsValid(uid)) return Results.BadRequest("not a valid Study Instance UID");
            var row = await queue.GetAsync(uid, cancel).ConfigureAwait(false);
            if (row?.ResultFolder is not { } folder) return Results.NotFound("no result yet");
            var result = results.Read(folder);
            if (result.Dicom.Count == 0) return Results.NotFound("the processor wrote no DICOM results");
            var files = result.Dicom.Select(f => results.FileOf(folder, f)).ToList();
            await MultipartDicomWriter.WriteAsync(context.Response, files, cancel).ConfigureAwait(false);
            return Results.Empty;
        });
    }
}
