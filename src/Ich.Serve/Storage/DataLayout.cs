using Ich.Core.Errors;
using Ich.Dicom.Writing;

namespace Ich.Serve.Storage;

/// <summary>
/// Where everything lives under the service's data folder. Every path below a study is built only from
/// UIDs checked by <see cref="RequireUid"/> (digits and dots, PS3.5 §9.1), so no request can name a path
/// outside the folder.
/// </summary>
public sealed class DataLayout
{
    public DataLayout(string root)
    {
        Root = Path.GetFullPath(root);
    }

    /// <summary>The data folder (--data).</summary>
    public string Root { get; }

    /// <summary>Uploads being received: temp files, deleted (or renamed into <see cref="Studies"/>) before the response.</summary>
    public string Incoming => Path.Combine(Root, "incoming");

    /// <summary>Stored instances: studies/STUDY/SERIES/SOP.dcm.</summary>
    public string Studies => Path.Combine(Root, "studies");

    /// <summary>Finished results: results/STUDY/RESULT-ID/ (the queue row names the current one).</summary>
    public string Results => Path.Combine(Root, "results");

    /// <summary>Folders a worker writes into while processing; moved into <see cref="Results"/> when complete.</summary>
    public string Work => Path.Combine(Root, "work");

    /// <summary>The SQLite queue file of the default engine.</summary>
    public string SqliteFile => Path.Combine(Root, "queue.db");

    /// <summary>Creates the folders.</summary>
    public void Create()
    {
        foreach (var dir in new[] { Root, Incoming, Studies, Results, Work }) Directory.CreateDirectory(dir);
    }

    public string StudyFolder(string studyUid) => Path.Combine(Studies, RequireUid(studyUid, "Study Instance UID"));

    public string InstancePath(string studyUid, string seriesUid, string sopUid) =>
        Path.Combine(StudyFolder(studyUid), RequireUid(seriesUid, "Series Instance UID"), RequireUid(sopUid, "SOP Instance UID") + ".dcm");

    public string ResultsFolder(string studyUid) => Path.Combine(Results, RequireUid(studyUid, "Study Instance UID"));

    /// <summary>Resolves a folder path stored relative to <see cref="Root"/>, refusing anything outside it.</summary>
    public string Resolve(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ConfigException($"stored path '{relative}' points outside the data folder", Root);
        return full;
    }

    /// <summary>The path of <paramref name="full"/> relative to <see cref="Root"/>.</summary>
    public string Relative(string full) => Path.GetRelativePath(Root, full);

    /// <summary>Returns <paramref name="uid"/> when it is a syntactically valid UID, else raises.</summary>
    public static string RequireUid(string? uid, string what)
    {
        // The bad value itself is not quoted: it ends up in logs, which carry only UIDs.
        if (uid is null) throw new DicomFormatException($"{what} is missing", null);
        if (!DicomUids.IsValid(uid))
            throw new DicomFormatException($"{what} is not a valid UID ({uid.Length} characters; digits and dots, at most 64)", null);
        return uid;
    }
}
