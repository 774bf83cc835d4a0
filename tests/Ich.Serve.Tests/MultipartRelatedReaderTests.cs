using System.Text;
using Ich.Core.Errors;
using Ich.Serve.Intake;

namespace Ich.Serve.Tests;

public class MultipartRelatedReaderTests
{
    /// <summary>Hands out the body a few bytes at a time, so delimiters straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static async Task<List<(string? Type, byte[] Body)>> ReadAll(byte[] body, string boundary, int chunk, long maxPart = 1 << 20)
    {
        var reader = new MultipartRelatedReader(new TrickleStream(body, chunk), boundary, maxPart, 1 << 24);
        var parts = new List<(string?, byte[])>();
        while (await reader.ReadNextPartHeadersAsync(default) is { } headers)
        {
            using var copy = new MemoryStream();
            await reader.CopyPartBodyAsync(copy, default);
            parts.Add((headers.ContentType, copy.ToArray()));
        }
        return parts;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Parts_WithPreambleEpilogueAndNearMissDelimiters_AreReturnedByteExact(int chunk)
    {
        // Part 2 contains "\r\n--b0" (a prefix of the delimiter "\r\n--b0undary") and CR/LF bytes.
        var p1 = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray();
        var p2 = Encoding.ASCII.GetBytes("x\r\n--b0und\r\n--b0 not it\r\n-");
        var body = Encoding.ASCII.GetBytes("preamble text\r\n--b0undary\r\nContent-Type: application/dicom\r\n\r\n")
            .Concat(p1).Concat(Encoding.ASCII.GetBytes("\r\n--b0undary  \r\ncontent-type: text/plain\r\nX-Other: 1\r\n\r\n"))
            .Concat(p2).Concat(Encoding.ASCII.GetBytes("\r\n--b0undary--\r\nepilogue")).ToArray();

        var parts = await ReadAll(body, "b0undary", chunk);

        Assert.Equal(2, parts.Count);
        Assert.Equal("application/dicom", parts[0].Type);
        Assert.Equal(p1, parts[0].Body);
        Assert.Equal("text/plain", parts[1].Type);
        Assert.Equal(p2, parts[1].Body);
    }

    [Fact]
    public async Task Body_EndingBeforeTheCloseDelimiter_IsReportedTruncated()
    {
        var body = Encoding.ASCII.GetBytes("--b\r\nContent-Type: application/dicom\r\n\r\nsome bytes but no end");
        var e = await Assert.ThrowsAsync<RequestFormatException>(() => ReadAll(body, "b", 5));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Equal(RequestProblem.Malformed, e.Problem);
    }

    [Fact]
    public async Task Part_OverTheLimit_IsRefusedAsTooLarge_BeforeItIsReadWhole()
    {
        var body = Encoding.ASCII.GetBytes("--b\r\n\r\n" + new string('a', 5000) + "\r\n--b--");
        var e = await Assert.ThrowsAsync<RequestFormatException>(() => ReadAll(body, "b", 64, maxPart: 1000));
        Assert.Equal(RequestProblem.TooLarge, e.Problem);
        Assert.Equal("part 1", e.Path);
    }

    [Fact]
    public async Task Body_WithoutAnyDelimiter_IsTruncated()
    {
        var e = await Assert.ThrowsAsync<RequestFormatException>(() => ReadAll("just text"u8.ToArray(), "b", 4));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Boundary_LongerThanRfc2046AllowsButBounded_IsAccepted_AndAnAbsurdOneRefused()
    {
        var longBoundary = new string('x', 120); // Orthanc's DICOMweb client sends boundaries over 70 characters
        var body = Encoding.ASCII.GetBytes($"--{longBoundary}\r\n\r\nabc\r\n--{longBoundary}--");
        Assert.Equal("abc"u8.ToArray(), Assert.Single(await ReadAll(body, longBoundary, 9)).Body);
        Assert.Throws<RequestFormatException>(() => new MultipartRelatedReader(new MemoryStream(), new string('x', 257), 10, 10));
    }
}
