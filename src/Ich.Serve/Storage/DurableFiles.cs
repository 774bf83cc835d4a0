using System.Runtime.InteropServices;

namespace Ich.Serve.Storage;

/// <summary>
/// The durability steps .NET leaves out: a rename is only durable once the directory holding the new
/// name is fsynced, and .NET has no API to fsync a directory, so this opens it with POSIX open(2).
/// </summary>
public static partial class DurableFiles
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux value; the service targets Linux (docs/deploy.md)

    /// <summary>Flushes the directory entry table of <paramref name="directory"/> to disk.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return; // other systems: rename durability is the file system's
        var fd = Open(directory, ORdOnly | ODirectory);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically: temp file, fsync, rename, fsync directory.</summary>
    public static void WriteAllBytesAtomic(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        FsyncDirectory(directory);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
