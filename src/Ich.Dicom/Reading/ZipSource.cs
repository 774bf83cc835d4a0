using System.IO.Compression;
using Ich.Core.Errors;

namespace Ich.Dicom.Reading;

/// <summary>
/// One .zip archive whose entries are read into memory (never extracted to disk). The archive is
/// opened once for all its entries instead of once per entry (its central directory is parsed only
/// once), reads are serialised (ZipArchive is not thread-safe), and it is closed again as soon as every
/// listed entry has been read.
/// </summary>
internal sealed class ZipSource(string path, int entryCount)
{
    private readonly object _gate = new();
    private ZipArchive? _archive;
    private int _unread = entryCount;

    public string Path { get; } = path;

    public byte[] ReadEntry(string entryName, string displayPath, long maxBytes)
    {
        lock (_gate)
        {
            try
            {
                _archive ??= ZipFile.OpenRead(Path);
                var entry = _archive.GetEntry(entryName)
                    ?? throw new DicomFormatException("entry is no longer in the archive", displayPath);
                if (entry.Length > maxBytes)
                    throw new DicomFormatException($"entry is {entry.Length} bytes, above the reader's limit of {maxBytes} bytes", displayPath);
                using var stream = entry.Open();
                return BoundedRead.ReadAll(stream, maxBytes, displayPath);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                throw new DicomFormatException($"cannot read zip entry: {e.Message}", displayPath, inner: e);
            }
            finally
            {
                if (--_unread <= 0)
                {
                    _archive?.Dispose();
                    _archive = null;
                }
            }
        }
    }
}
