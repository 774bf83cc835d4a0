using Ich.Core.Errors;
using Ich.Serve.Hosting;
using Ich.Serve.Queue;
using Ich.Serve.Work;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Ich.Serve.Intake;

/// <summary>
/// <c>POST /dicomweb/studies</c>: DICOMweb STOW-RS intake (PS3.18 §10.5). The body is read part by part
/// (never whole); each part is stored durably and recorded in the queue before it is listed as stored.
/// Statuses: 200 all stored, 202 some failed, 409 none stored, 400 broken framing or truncated body,
/// 413 body or part over the limit, 415 not <c>multipart/related; type="application/dicom"</c>. The
/// reason of a 4xx is given in a <c>Warning: 299</c> header as PS3.18 §8.6 suggests; the body is always the
/// Store Instances Response in application/dicom+json, listing what was stored before the problem.
/// </summary>
public sealed partial class StowEndpoint(InstanceStore store, IStudyQueueStore queue, ServeMetrics metrics, ServeOptions options, TimeProvider clock, ILogger<StowEndpoint> log)
{
    public const string DicomJson = "application/dicom+json";

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new StowResponse();
        try
        {
            if (context.Request.ContentLength > options.MaxBodyBytes)
                throw new RequestFormatException($"the request body ({context.Request.ContentLength} bytes) exceeds the limit of {options.MaxBodyBytes} bytes", null, RequestProblem.TooLarge);
            var boundary = RequireStowContentType(context.Request.ContentType);
            var reader = new MultipartRelatedReader(context.Request.Body, boundary, options.MaxPartBytes, options.MaxBodyBytes);
            while (await reader.ReadNextPartHeadersAsync(context.RequestAborted).ConfigureAwait(false) is { } part)
                await StorePartAsync(reader, part, response, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, response.StatusCode, response, null).ConfigureAwait(false);
        }
        catch (RequestFormatException e)
        {
            var status = e.Problem switch
            {
                RequestProblem.TooLarge => StatusCodes.Status413PayloadTooLarge,
                RequestProblem.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
                _ => StatusCodes.Status400BadRequest,
            };
            LogRejected(status, e.Message);
            await WriteAsync(context, status, response, e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own checks while reading: body over MaxRequestBodySize (413) or ended early (400).
            LogRejected(e.StatusCode, e.Message);
            await WriteAsync(context, e.StatusCode, response, e.Message).ConfigureAwait(false);
        }
    }

    private async Task StorePartAsync(MultipartRelatedReader reader, MultipartPartHeaders part, StowResponse response, CancellationToken cancel)
    {
        var name = $"part {part.Index}";
        var temp = store.NewTempPath();
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
                await reader.CopyPartBodyAsync(stream, cancel).ConfigureAwait(false);
            if (part.ContentType is { } type && !IsMediaType(type, "application/dicom"))
            {
                LogPartRejected(part.Index, $"part media type is not application/dicom");
                response.AddFailed(null, null, StowResponse.CannotUnderstand);
                return;
            }
            StoredInstance stored;
            try
            {
                stored = store.Commit(temp, name);
            }
            catch (DicomFormatException e)
            {
                LogPartRejected(part.Index, e.Reason);
                response.AddFailed(null, null, StowResponse.CannotUnderstand);
                return;
            }
            var relative = Path.GetRelativePath(options.DataDir, stored.Path);
            var isNew = await queue.RecordInstanceAsync(
                new InstanceRecord(stored.StudyUid, stored.SeriesUid, stored.SopUid, stored.AccessionNumber, relative), clock.GetUtcNow(), cancel).ConfigureAwait(false);
            if (isNew) metrics.InstanceStored();
            LogStored(stored.StudyUid, stored.SopUid, isNew);
            response.AddStored(stored.SopClassUid, stored.SopUid);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Returns the boundary of a STOW-RS request, or raises 415/400 as PS3.18 asks.</summary>
    public static string RequireStowContentType(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media))
            throw new RequestFormatException("missing or unparsable Content-Type; expected multipart/related; type=\"application/dicom\"", null, RequestProblem.UnsupportedMediaType);
        if (!media.MediaType.Equals("multipart/related", StringComparison.OrdinalIgnoreCase))
            throw new RequestFormatException($"Content-Type {media.MediaType} is not supported; expected multipart/related; type=\"application/dicom\"", null, RequestProblem.UnsupportedMediaType);
        var typeParameter = media.Parameters.FirstOrDefault(p => p.Name.Equals("type", StringComparison.OrdinalIgnoreCase));
        var type = typeParameter is null ? null : HeaderUtilities.RemoveQuotes(typeParameter.Value).ToString();
        if (type is null || !IsMediaType(type, "application/dicom"))
            throw new RequestFormatException($"multipart/related type '{type ?? "(none)"}' is not supported; only type=\"application/dicom\" (metadata+bulk data uploads are not accepted)", null, RequestProblem.UnsupportedMediaType);
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).ToString();
        if (boundary.Length == 0) throw new RequestFormatException("the multipart Content-Type has no boundary parameter");
        return boundary;
    }

    private static bool IsMediaType(string value, string expected) =>
        MediaTypeHeaderValue.TryParse(value, out var m) && m.MediaType.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static async Task WriteAsync(HttpContext context, int status, StowResponse response, string? warning)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = status;
        context.Response.ContentType = DicomJson;
        if (warning is not null)
            context.Response.Headers.Append(HeaderNames.Warning, $"299 ich \"{HeaderSafe(warning)}\"");
        await context.Response.WriteAsync(response.ToJson(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Header values must be printable ASCII; quotes would end the warn-text early.</summary>
    private static string HeaderSafe(string text) =>
        new(text.Take(300).Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?').ToArray());

    [LoggerMessage(Level = LogLevel.Debug, Message = "study {StudyUid}: instance {SopUid} stored (new: {IsNew})")]
    private partial void LogStored(string studyUid, string sopUid, bool isNew);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW part {Part} rejected: {Reason}")]
    private partial void LogPartRejected(int part, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STOW request rejected with {Status}: {Reason}")]
    private partial void LogRejected(int status, string reason);
}
