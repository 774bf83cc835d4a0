using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ich.Serve.Api;

/// <summary>Writes Part 10 files as <c>multipart/related; type="application/dicom"</c>, as WADO-RS does.</summary>
public static class MultipartDicomWriter
{
    public static async Task WriteAsync(HttpResponse response, IReadOnlyList<string> files, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(files);
        var boundary = $"ich-{Guid.NewGuid():N}";
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = $"multipart/related; type=\"application/dicom\"; boundary={boundary}";
        foreach (var file in files)
        {
            await response.Body.WriteAsync(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n"), cancel).ConfigureAwait(false);
            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false)) await stream.CopyToAsync(response.Body, cancel).ConfigureAwait(false);
            await response.Body.WriteAsync("\r\n"u8.ToArray(), cancel).ConfigureAwait(false);
        }
        await response.Body.WriteAsync(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"), cancel).ConfigureAwait(false);
    }
}
