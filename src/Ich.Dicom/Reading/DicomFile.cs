using System.Buffers;
using Ich.Dicom.Model;

namespace Ich.Dicom.Reading;

/// <summary>
/// A parsed DICOM file: its file meta group, its main data set and how it was encoded.
/// Element values are slices of the file's bytes. A full read from disk holds them in a buffer rented from
/// the shared pool (a fresh half-megabyte array per CT slice costs several times the read itself: large-
/// object allocation, page faults, gen-2 collections); <see cref="Dispose"/> returns it. Disposing is
/// optional (an undisposed file's buffer is simply collected), but after it neither the data sets nor a
/// <see cref="Pixels.DicomPixelData"/> made from this file may be used; both raise
/// <see cref="ObjectDisposedException"/> when they notice.
/// </summary>
public sealed class DicomFile : IDisposable
{
    private readonly DicomDataset _dataset;
    private readonly DicomDataset _fileMeta;
    private byte[]? _pooledBuffer;
    private volatile bool _disposed;

    internal DicomFile(string? path, DicomDataset fileMeta, DicomDataset dataset, string transferSyntaxUid,
        bool hasPreamble, bool transferSyntaxInferred, bool isHeaderOnly, long? pixelDataOffset, byte[]? pooledBuffer = null)
    {
        Path = path;
        _fileMeta = fileMeta;
        _dataset = dataset;
        _pooledBuffer = pooledBuffer;
        TransferSyntaxUid = transferSyntaxUid;
        HasPreamble = hasPreamble;
        TransferSyntaxInferred = transferSyntaxInferred;
        IsHeaderOnly = isHeaderOnly;
        PixelDataOffset = pixelDataOffset;
    }

    /// <summary>The file (or "archive.zip!entry") this was read from; named in every error.</summary>
    public string? Path { get; }

    /// <summary>File meta information (group 0002); empty for files without one (ACR-NEMA style).</summary>
    public DicomDataset FileMeta
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _fileMeta;
        }
    }

    /// <summary>The main data set. In header-only mode it ends before the pixel data element.</summary>
    public DicomDataset Dataset
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _dataset;
        }
    }

    /// <summary>True after <see cref="Dispose"/>: the values' bytes may belong to another file by now.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Returns the pooled file buffer (if any). Idempotent and thread-safe.</summary>
    public void Dispose()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _pooledBuffer, null) is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Transfer syntax UID, from the file meta or inferred from the bytes when the meta lacks it.</summary>
    public string TransferSyntaxUid { get; }

    /// <summary>The transfer syntax's properties, or null for a UID this reader does not know.</summary>
    public TransferSyntaxInfo? TransferSyntax => TransferSyntaxInfo.Find(TransferSyntaxUid);

    /// <summary>True when the file starts with the 128-byte preamble and "DICM".</summary>
    public bool HasPreamble { get; }

    /// <summary>True when the file has a file meta group.</summary>
    public bool HasFileMeta => FileMeta.Count > 0;

    /// <summary>True when the transfer syntax was guessed from the bytes (no meta, or meta without (0002,0010)).</summary>
    public bool TransferSyntaxInferred { get; }

    /// <summary>True when read with <see cref="DicomReadOptions.HeaderOnly"/>: the pixel data was not read.</summary>
    public bool IsHeaderOnly { get; }

    /// <summary>In header-only mode, file offset of the element where reading stopped (pixel data), else null.</summary>
    public long? PixelDataOffset { get; }

    /// <summary>True when the data set has pixel data (in header-only mode: when reading stopped at it).</summary>
    /// <summary>
    /// Set by header-only reads when the pixel data element claims more bytes than the file holds (a file cut
    /// short): the reason, naming the element and both lengths. Null when it fits or was not judged.
    /// </summary>
    public string? PixelDataProblem { get; init; }

    public bool HasPixelData => PixelDataOffset is not null || Dataset.Contains(DicomTags.PixelData);
}
