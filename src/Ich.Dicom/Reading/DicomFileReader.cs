using System.Buffers;
using Ich.Core.Errors;
using Ich.Dicom.Model;

namespace Ich.Dicom.Reading;

/// <summary>
/// Reads DICOM Part 10 files (with or without preamble and file meta) and ACR-NEMA style files
/// without meta, in Implicit VR LE, Explicit VR LE/BE, Deflated Explicit VR LE and every
/// encapsulated syntax (whose fragments are kept for <see cref="Pixels.DicomPixelData"/>).
/// Every failure is a <see cref="DicomFormatException"/> naming the file and the reason.
/// </summary>
public static class DicomFileReader
{
    // Header-only reads start with this many bytes (a typical CT header is 1-4 KiB) and grow ×4 while needed.
    private const int FirstChunk = 16 * 1024;

    /// <summary>
    /// Reads a file from disk. Header-only reads load only as much of the file as the header needs; full
    /// reads hold the file in a pooled buffer that <see cref="DicomFile.Dispose"/> gives back (optional,
    /// but it spares the allocation when many slices are read in a row).
    /// </summary>
    public static DicomFile Read(string path, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Full;
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DicomFormatException($"cannot open: {e.Message}", path, inner: e);
        }
        using (stream)
        {
            if (!stream.CanSeek) throw new DicomFormatException("not a regular file (pipe or device)", path);
            var length = stream.Length;
            CheckSize(length, options, path);
            if (!options.HeaderOnly || length <= FirstChunk)
            {
                // Rented (see DicomFile): longer than the file and holding stale bytes past it, which the parser
                // never reads (every access is bounded by the length passed in). The file returns it on Dispose.
                var all = ArrayPool<byte>.Shared.Rent((int)length);
                try
                {
                    stream.ReadExactly(all, 0, (int)length);
                    return Parse(all, (int)length, complete: true, options, path, length, pooled: true);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(all);
                    throw;
                }
            }
            // Header-only: parse a growing prefix until the header fits; the pixel bytes stay on disk.
            var size = FirstChunk;
            var buffer = new byte[size];
            stream.ReadExactly(buffer);
            while (true)
            {
                var complete = size == length;
                try
                {
                    return Parse(buffer, size, complete, options, path, length);
                }
                catch (NeedMoreBytesException) when (!complete)
                {
                    var next = (int)Math.Min(length, (long)size * 4);
                    Array.Resize(ref buffer, next);
                    stream.ReadExactly(buffer, size, next - size);
                    size = next;
                }
            }
        }
    }

    /// <summary>Reads a file held in memory (e.g. a zip entry). <paramref name="sourceName"/> is named in errors.</summary>
    public static DicomFile Read(byte[] bytes, string? sourceName, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Full;
        CheckSize(bytes.LongLength, options, sourceName);
        return Parse(bytes, bytes.Length, complete: true, options, sourceName, bytes.Length);
    }

    /// <summary>Reads a whole stream (bounded by <see cref="DicomReadOptions.MaxFileBytes"/>) and parses it.</summary>
    public static DicomFile Read(Stream stream, string? sourceName, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Full;
        var bytes = BoundedRead.ReadAll(stream, options.MaxFileBytes, sourceName);
        return Parse(bytes, bytes.Length, complete: true, options, sourceName, bytes.Length);
    }

    private static void CheckSize(long length, DicomReadOptions options, string? path)
    {
        if (length > options.MaxFileBytes)
            throw new DicomFormatException($"file is {length} bytes, above the reader's limit of {options.MaxFileBytes} bytes", path);
        if (length == 0) throw new DicomFormatException("not a DICOM file: the file is empty", path);
    }

    private static DicomFile Parse(byte[] buffer, int length, bool complete, DicomReadOptions options, string? path, long fileLength, bool pooled = false)
    {
        var owned = pooled ? buffer : null;
        var hasPreamble = length >= 132 && buffer.AsSpan(128, 4).SequenceEqual("DICM"u8);
        var pos = hasPreamble ? 132 : 0;
        var meta = new DicomDataset();
        var parser = new DatasetParser(buffer, length, complete, options.HeaderOnly, path);

        if (length - pos >= 8 && buffer[pos] == 0x02 && buffer[pos + 1] == 0x00 && IsExplicitVr(buffer, pos))
            pos = parser.ParseFileMeta(meta, pos);
        else if (hasPreamble)
            throw new DicomFormatException("'DICM' prefix is not followed by a file meta group (0002,xxxx)", path, pos);

        var tsUid = Trim(meta.GetText(DicomTags.TransferSyntaxUID));
        var guessed = Guess(buffer, pos, length, path, complete);
        var inferred = tsUid is null;
        ElementEncoding encoding;
        if (tsUid is null)
        {
            encoding = guessed;
            tsUid = !guessed.ExplicitVr ? TransferSyntaxes.ImplicitVRLittleEndian
                : guessed.BigEndian ? TransferSyntaxes.ExplicitVRBigEndian
                : TransferSyntaxes.ExplicitVRLittleEndian;
        }
        else
        {
            var ts = TransferSyntaxInfo.Find(tsUid);
            // Unknown (private) syntaxes are Explicit VR Little Endian like every standard compressed one.
            encoding = ts is null ? ElementEncoding.ExplicitLittle : new ElementEncoding(ts.ExplicitVr, ts.BigEndian);
            if (ts is { Deflated: true })
            {
                var inflated = Deflate.Inflate(buffer, pos, length - pos, options.MaxFileBytes, path);
                var inner = new DatasetParser(inflated, inflated.Length, complete: true, options.HeaderOnly, path);
                var deflatedSet = new DicomDataset();
                inner.ParseTopLevel(deflatedSet, 0, ElementEncoding.ExplicitLittle);
                return new DicomFile(path, meta, deflatedSet, tsUid, hasPreamble, false, options.HeaderOnly,
                    inner.StoppedAt >= 0 ? inner.StoppedAt : null, owned);
            }
            // Writers that declare Explicit VR but wrote Implicit VR (seen in the wild): trust the bytes.
            if (encoding.ExplicitVr && !guessed.ExplicitVr && pos < length) encoding = guessed with { BigEndian = encoding.BigEndian };
        }

        var dataset = new DicomDataset();
        parser.ParseTopLevel(dataset, pos, encoding);
        return new DicomFile(path, meta, dataset, tsUid, hasPreamble, inferred, options.HeaderOnly,
            parser.StoppedAt >= 0 ? parser.StoppedAt : null, owned)
        {
            PixelDataProblem = parser.StoppedAt >= 0
                ? PixelDataExtent.Problem(buffer, length, parser.StoppedAt, fileLength, encoding.BigEndian)
                : null,
        };
    }

    /// <summary>
    /// Infers the encoding of a data set from its first element: explicit when bytes 4-5 are a VR,
    /// byte order from which reading of the group number is plausible. Data sets without meta must
    /// start with a low even group (0008 in practice); anything else is not DICOM.
    /// </summary>
    private static ElementEncoding Guess(byte[] b, int pos, int length, string? path, bool complete)
    {
        if (length - pos < 8)
        {
            if (pos > 0 && length == pos) return ElementEncoding.ExplicitLittle; // meta only, empty data set
            throw new DicomFormatException(pos == 0 ? "not a DICOM file: too short" : "data set truncated after the file meta", path, pos);
        }
        var groupLe = (ushort)(b[pos] | (b[pos + 1] << 8));
        var groupBe = (ushort)((b[pos] << 8) | b[pos + 1]);
        var explicitVr = IsExplicitVr(b, pos);
        bool bigEndian;
        if (IsPlausibleFirstGroup(groupLe)) bigEndian = false;
        else if (IsPlausibleFirstGroup(groupBe)) bigEndian = true;
        else if (pos == 0)
            throw new DicomFormatException($"not a DICOM file: no preamble, no file meta, and the first bytes (0x{b[0]:X2}{b[1]:X2}{b[2]:X2}{b[3]:X2}) are not a data element tag", path, 0);
        else bigEndian = false; // after a meta group: trust Little Endian and let the parser judge
        if (bigEndian && !explicitVr)
            throw new DicomFormatException("Implicit VR Big Endian is not a DICOM encoding", path, pos);
        return new ElementEncoding(explicitVr, bigEndian);
    }

    private static bool IsPlausibleFirstGroup(ushort group) => group is >= 0x0002 and <= 0x0028 && (group & 1) == 0;

    private static bool IsExplicitVr(byte[] b, int pos) => DicomVRInfo.TryParse(b[pos + 4], b[pos + 5], out _);

    private static string? Trim(string? uid) => uid?.Trim(' ', '\0');
}
