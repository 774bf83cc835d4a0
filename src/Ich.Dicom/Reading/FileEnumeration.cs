using System.IO.Compression;

namespace Ich.Dicom.Reading;

/// <summary>
/// One input found by <see cref="FileEnumeration"/>: a file on disk or an entry of a .zip archive,
/// or a path that could not be listed (<see cref="Error"/> set).
/// </summary>
public sealed class InputFile
{
    private readonly ZipSource? _zip;

    private InputFile(string displayPath, string? filePath, string? archivePath, string? entryName, string? error, ZipSource? zip = null)
    {
        _zip = zip;
        DisplayPath = displayPath;
        FilePath = filePath;
        ArchivePath = archivePath;
        EntryName = entryName;
        Error = error;
    }

    /// <summary>Path shown to users and named in errors: the file path, or "archive.zip!entry/name".</summary>
    public string DisplayPath { get; }
    /// <summary>The file on disk, or null for a zip entry.</summary>
    public string? FilePath { get; }
    /// <summary>The archive holding the entry, or null.</summary>
    public string? ArchivePath { get; }
    /// <summary>The entry's full name inside the archive, or null.</summary>
    public string? EntryName { get; }
    /// <summary>Why this path could not be listed or opened (missing, unreadable, symlink loop, bad zip), or null.</summary>
    public string? Error { get; }

    internal static InputFile OnDisk(string path) => new(path, path, null, null, null);
    internal static InputFile InArchive(ZipSource zip, string entry) => new($"{zip.Path}!{entry}", null, zip.Path, entry, null, zip);
    internal static InputFile Failed(string path, string error) => new(path, null, null, null, error);

    /// <summary>
    /// Reads the input as DICOM. Zip entries are decompressed into memory (bounded by
    /// <see cref="DicomReadOptions.MaxFileBytes"/>), never to disk.
    /// </summary>
    public DicomFile Read(DicomReadOptions? options = null)
    {
        if (Error is not null) throw new Ich.Core.Errors.DicomFormatException(Error, DisplayPath);
        if (FilePath is not null) return DicomFileReader.Read(FilePath, options);
        options ??= DicomReadOptions.Full;
        return DicomFileReader.Read(_zip!.ReadEntry(EntryName!, DisplayPath, options.MaxFileBytes), DisplayPath, options);
    }

    public override string ToString() => DisplayPath;
}

/// <summary>
/// Lists the inputs under command-line paths: files as given, folders recursively (sorted, ordinal),
/// and the entries of .zip archives. Directory symlinks are followed once; a symlink that leads back
/// to a folder already being listed is reported as an error instead of looping. Inside folders, hidden
/// files (name starting with ".", e.g. .DS_Store) and files whose extension marks them as clearly not
/// DICOM (see <see cref="SkippedExtensions"/>) are skipped and counted; paths named explicitly are always
/// listed. This is the project's one file walker: <c>ich inspect</c>, the prediction input resolver and
/// the DICOM-based dataset adapters all list their inputs here.
/// </summary>
public static class FileEnumeration
{
    /// <summary>Extensions of companion files found beside DICOM data (notes, tables, images, volumes).</summary>
    public static readonly IReadOnlySet<string> SkippedExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".md", ".txt", ".csv", ".tsv", ".json", ".py", ".png", ".jpg", ".jpeg", ".nii", ".gz", ".xml", ".html", ".pdf",
        ".sh", ".log", ".hdr", ".img", ".ichmask",
    };

    /// <summary>Enumerates DICOM candidates lazily. <paramref name="skipped"/> receives each companion or hidden file skipped.</summary>
    public static IEnumerable<InputFile> Enumerate(IEnumerable<string> paths, Action<string>? skipped = null) =>
        EnumerateWhere(paths, name => !IsCompanionOrHidden(name), skipped);

    /// <summary>
    /// Enumerates lazily the files whose name <paramref name="select"/> accepts (e.g. NIfTI volumes), with the
    /// same walk: folders recursively in name order, symlink loops reported, .zip entries in place. Files named
    /// explicitly are always listed; the others go to <paramref name="skipped"/>.
    /// </summary>
    public static IEnumerable<InputFile> EnumerateWhere(IEnumerable<string> paths, Func<string, bool> select, Action<string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(select);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                foreach (var input in FromFile(path, explicitlyNamed: true, select, skipped)) yield return input;
            }
            else if (Directory.Exists(path))
            {
                foreach (var input in FromDirectory(path, select, skipped)) yield return input;
            }
            else
            {
                yield return InputFile.Failed(path, "no such file or folder");
            }
        }
    }

    private static IEnumerable<InputFile> FromDirectory(string root, Func<string, bool> select, Action<string>? skipped)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            string canonical;
            try
            {
                canonical = Canonical(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                canonical = "";
            }
            if (canonical.Length == 0)
            {
                yield return InputFile.Failed(dir, "cannot resolve folder (broken or looping symlink)");
                continue;
            }
            if (!visited.Add(canonical))
            {
                yield return InputFile.Failed(dir, $"folder symlink loop: {dir} leads back to {canonical}, already listed");
                continue;
            }
            string[] files, dirs;
            string? error = null;
            try
            {
                files = Directory.GetFiles(dir);
                dirs = Directory.GetDirectories(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                files = dirs = [];
                error = $"cannot list folder: {e.Message}";
            }
            if (error is not null)
            {
                yield return InputFile.Failed(dir, error);
                continue;
            }
            Array.Sort(files, StringComparer.Ordinal);
            Array.Sort(dirs, StringComparer.Ordinal);
            foreach (var file in files)
            foreach (var input in FromFile(file, explicitlyNamed: false, select, skipped))
                yield return input;
            for (var i = dirs.Length - 1; i >= 0; i--) stack.Push(dirs[i]);
        }
    }

    private static IEnumerable<InputFile> FromFile(string path, bool explicitlyNamed, Func<string, bool> select, Action<string>? skipped)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".zip", StringComparison.OrdinalIgnoreCase))
        {
            List<string>? entries = null;
            string? error = null;
            try
            {
                using var archive = ZipFile.OpenRead(path);
                entries = archive.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName).ToList();
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                error = $"cannot open zip archive: {e.Message}";
            }
            if (error is not null)
            {
                yield return InputFile.Failed(path, error);
                yield break;
            }
            entries!.Sort(StringComparer.Ordinal);
            var listed = new List<string>(entries.Count);
            foreach (var entry in entries)
            {
                if (!select(entry)) skipped?.Invoke($"{path}!{entry}");
                else listed.Add(entry);
            }
            var zip = new ZipSource(path, listed.Count);
            foreach (var entry in listed) yield return InputFile.InArchive(zip, entry);
            yield break;
        }
        if (!explicitlyNamed && !select(path))
        {
            skipped?.Invoke(path);
            yield break;
        }
        yield return InputFile.OnDisk(path);
    }

    /// <summary>True for a name that is skipped inside folders and archives: a companion extension or a hidden file.</summary>
    public static bool IsCompanionOrHidden(string name) =>
        SkippedExtensions.Contains(Path.GetExtension(name)) || Path.GetFileName(name).StartsWith('.');

    /// <summary>The folder's path with every symlink in it resolved ("" when a link is broken).</summary>
    private static string Canonical(string dir)
    {
        var full = Path.GetFullPath(dir);
        var resolved = Path.GetPathRoot(full) ?? "/";
        foreach (var part in full[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            resolved = Path.Combine(resolved, part);
            var info = new DirectoryInfo(resolved);
            if (info.LinkTarget is null) continue;
            // Throws IOException for a link chain that loops on itself (ELOOP); the caller reports it.
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !target.Exists) return "";
            resolved = Path.GetFullPath(target.FullName);
        }
        return resolved;
    }
}
