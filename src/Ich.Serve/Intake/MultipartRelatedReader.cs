using System.Text;
using Ich.Core.Errors;

namespace Ich.Serve.Intake;

/// <summary>Headers of one multipart body part (names lower-cased).</summary>
/// <param name="Index">1-based position of the part in the body, for error messages.</param>
public sealed record MultipartPartHeaders(int Index, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The part's Content-Type, or null when it has none.</summary>
    public string? ContentType => Headers.GetValueOrDefault("content-type");
}

/// <summary>
/// Streaming reader of a MIME multipart body (RFC 2046 §5.1) such as a DICOMweb STOW-RS request. It keeps
/// one fixed buffer and copies each part's bytes to a caller's stream as they arrive, so a body of any
/// length costs the same memory; nothing is buffered whole. Every bound (part size, header size, body size)
/// is checked while reading, and a body that ends before its closing delimiter is reported as truncated.
/// </summary>
public sealed class MultipartRelatedReader
{
    private const int BufferSize = 64 * 1024;
    private const int MaxHeaderBytes = 16 * 1024;
    private const int MaxBoundaryLength = 256;

    private readonly Stream _body;
    private readonly byte[] _delimiter; // CRLF "--" boundary
    private readonly long _maxPartBytes;
    private readonly long _maxBodyBytes;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _bodyBytes;
    private bool _started;
    private bool _finished;
    private int _partIndex;

    public MultipartRelatedReader(Stream body, string boundary, long maxPartBytes, long maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(body);
        // RFC 2046 allows 70 characters, but real senders exceed it (Orthanc's DICOMweb plugin does), so the
        // bound is only generous enough to keep the delimiter search cheap.
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
            throw new RequestFormatException($"the multipart boundary must be 1-{MaxBoundaryLength} characters");
        _body = body;
        _delimiter = Encoding.ASCII.GetBytes("\r\n--" + boundary);
        _maxPartBytes = maxPartBytes;
        _maxBodyBytes = maxBodyBytes;
        _buffer = new byte[BufferSize + _delimiter.Length];
        // The first delimiter may sit at the very start of the body, without the CRLF that precedes the
        // others: priming the buffer with CRLF makes one search rule serve every delimiter.
        _buffer[0] = (byte)'\r';
        _buffer[1] = (byte)'\n';
        _end = 2;
    }

    /// <summary>
    /// Moves to the next part and returns its headers, or null after the closing delimiter.
    /// Call <see cref="CopyPartBodyAsync"/> before asking for the next part.
    /// </summary>
    public async Task<MultipartPartHeaders?> ReadNextPartHeadersAsync(CancellationToken cancel)
    {
        if (_finished) return null;
        if (!_started)
        {
            // Skip the preamble: everything before the first delimiter.
            await CopyUntilDelimiterAsync(Stream.Null, long.MaxValue, "preamble", cancel).ConfigureAwait(false);
            _started = true;
            if (await AfterDelimiterIsCloseAsync(cancel).ConfigureAwait(false))
                throw new RequestFormatException("the multipart body has no parts");
        }
        _partIndex++;
        return new MultipartPartHeaders(_partIndex, await ReadHeadersAsync(cancel).ConfigureAwait(false));
    }

    /// <summary>
    /// Copies the current part's body to <paramref name="destination"/> and returns its length; throws a
    /// <see cref="RequestFormatException"/> when the part exceeds the part limit or the body is truncated.
    /// </summary>
    public async Task<long> CopyPartBodyAsync(Stream destination, CancellationToken cancel)
    {
        var length = await CopyUntilDelimiterAsync(destination, _maxPartBytes, $"part {_partIndex}", cancel).ConfigureAwait(false);
        _finished = await AfterDelimiterIsCloseAsync(cancel).ConfigureAwait(false);
        return length;
    }

    private async Task<long> CopyUntilDelimiterAsync(Stream destination, long limit, string item, CancellationToken cancel)
    {
        long copied = 0;
        while (true)
        {
            var found = _buffer.AsSpan(_start, _end - _start).IndexOf(_delimiter);
            if (found >= 0)
            {
                copied += found;
                if (copied > limit) throw TooLarge(item, limit);
                await destination.WriteAsync(_buffer.AsMemory(_start, found), cancel).ConfigureAwait(false);
                _start += found + _delimiter.Length;
                return copied;
            }
            // Keep the tail that could be the start of a delimiter split across reads.
            var safe = Math.Max(0, _end - _start - (_delimiter.Length - 1));
            copied += safe;
            if (copied > limit) throw TooLarge(item, limit);
            if (safe > 0) await destination.WriteAsync(_buffer.AsMemory(_start, safe), cancel).ConfigureAwait(false);
            _start += safe;
            if (!await FillAsync(cancel).ConfigureAwait(false))
                throw new RequestFormatException("the multipart body is truncated: it ends before the closing boundary", item);
        }
    }

    /// <summary>After a delimiter: "--" closes the body; otherwise optional padding and CRLF start a part.</summary>
    private async Task<bool> AfterDelimiterIsCloseAsync(CancellationToken cancel)
    {
        while (_end - _start < 2)
            if (!await FillAsync(cancel).ConfigureAwait(false))
                throw new RequestFormatException("the multipart body is truncated after a boundary");
        if (_buffer[_start] == '-' && _buffer[_start + 1] == '-')
        {
            _start += 2;
            return true; // the epilogue (anything after the close delimiter) is ignored, as RFC 2046 says
        }
        var line = await ReadLineAsync(cancel).ConfigureAwait(false);
        if (line.Trim(' ', '\t').Length != 0)
            throw new RequestFormatException("unexpected characters after a multipart boundary", $"part {_partIndex + 1}");
        return false;
    }

    private async Task<Dictionary<string, string>> ReadHeadersAsync(CancellationToken cancel)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancel).ConfigureAwait(false);
            total += line.Length + 2;
            if (total > MaxHeaderBytes)
                throw new RequestFormatException($"part headers exceed {MaxHeaderBytes} bytes", $"part {_partIndex}");
            if (line.Length == 0) return headers;
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new RequestFormatException("a part header line has no name", $"part {_partIndex}");
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var crlf = span.IndexOf("\r\n"u8);
            if (crlf >= 0)
            {
                var line = Encoding.Latin1.GetString(span[..crlf]);
                _start += crlf + 2;
                return line;
            }
            if (_end - _start >= MaxHeaderBytes)
                throw new RequestFormatException($"a part header line exceeds {MaxHeaderBytes} bytes", $"part {_partIndex}");
            if (!await FillAsync(cancel).ConfigureAwait(false))
                throw new RequestFormatException("the multipart body is truncated inside part headers", $"part {_partIndex}");
        }
    }

    /// <summary>Compacts the buffer and reads more; false at the end of the body.</summary>
    private async Task<bool> FillAsync(CancellationToken cancel)
    {
        if (_eof) return false;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) throw new InvalidOperationException("multipart buffer full: a header line or delimiter is longer than the buffer");
        var read = await _body.ReadAsync(_buffer.AsMemory(_end), cancel).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _bodyBytes += read;
        if (_bodyBytes > _maxBodyBytes)
            throw new RequestFormatException($"the request body exceeds the limit of {_maxBodyBytes} bytes", null, RequestProblem.TooLarge);
        _end += read;
        return true;
    }

    private static RequestFormatException TooLarge(string item, long limit) =>
        new($"the part exceeds the limit of {limit} bytes", item, RequestProblem.TooLarge);
}
