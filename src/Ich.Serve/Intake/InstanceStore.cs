using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;
using Ich.Serve.Storage;

namespace Ich.Serve.Intake;

/// <summary>One instance after it is durably on disk.</summary>
/// <param name="AlreadyStored">The same SOP Instance was stored before; the new copy was dropped.</param>
public sealed record StoredInstance(string StudyUid, string SeriesUid, string SopUid, string SopClassUid, string AccessionNumber, string Path, bool AlreadyStored);

/// <summary>
/// Turns an uploaded part into a stored instance: the bytes go to a temp file under incoming/, are parsed
/// (header only) to get and validate the UIDs, and the file is then fsynced and renamed to
/// studies/STUDY/SERIES/SOP.dcm, and the directory fsynced — only after that may the upload be acknowledged.
/// A SOP Instance already stored is kept as it is (first copy wins; the duplicate is deleted).
/// </summary>
public sealed class InstanceStore(DataLayout layout)
{
    /// <summary>A new temp file path under incoming/.</summary>
    public string NewTempPath() => Path.Combine(layout.Incoming, $"{Guid.NewGuid():N}.part");

    /// <summary>
    /// Deletes temp files left by a process that died mid-upload (none of them was acknowledged) and last
    /// written before <paramref name="olderThanUtc"/>. An intake that may share the folder with other live
    /// intakes passes a time well in the past, so their uploads in progress are spared.
    /// </summary>
    public void CleanIncoming(DateTime olderThanUtc)
    {
        foreach (var file in Directory.EnumerateFiles(layout.Incoming, "*.part"))
            if (File.GetLastWriteTimeUtc(file) < olderThanUtc) File.Delete(file);
    }

    /// <summary>Reads the identifying header of a received temp file; raises <see cref="DicomFormatException"/> when it is not a usable instance.</summary>
    public static (string Study, string Series, string Sop, string SopClass, string Accession) Identify(string tempPath, string partName)
    {
        DicomFile file;
        try
        {
            file = DicomFileReader.Read(tempPath, DicomReadOptions.Header);
        }
        catch (DicomFormatException e)
        {
            throw new DicomFormatException($"not a DICOM instance: {e.Reason}", partName, inner: e);
        }
        if (!file.HasFileMeta)
            throw new DicomFormatException("not a DICOM Part 10 file (no file meta information), as application/dicom requires", partName);
        var ds = file.Dataset;
        var sop = DataLayout.RequireUid(ds.GetString(DicomTags.SOPInstanceUID), "SOP Instance UID");
        var sopClass = DataLayout.RequireUid(ds.GetString(DicomTags.SOPClassUID), "SOP Class UID");
        var study = DataLayout.RequireUid(ds.GetString(DicomTags.StudyInstanceUID), "Study Instance UID");
        var series = DataLayout.RequireUid(ds.GetString(DicomTags.SeriesInstanceUID), "Series Instance UID");
        var metaSop = file.FileMeta.GetString(DicomTags.MediaStorageSOPInstanceUID);
        if (metaSop is not null && metaSop != sop)
            throw new DicomFormatException("Media Storage SOP Instance UID (0002,0003) differs from SOP Instance UID (0008,0018)", partName);
        return (study, series, sop, sopClass, ds.GetString(DicomTags.AccessionNumber) ?? "");
    }

    /// <summary>Moves a validated temp file to its final place durably; see the class comment.</summary>
    public StoredInstance Commit(string tempPath, string partName)
    {
        var (study, series, sop, sopClass, accession) = Identify(tempPath, partName);
        var final = layout.InstancePath(study, series, sop);
        var seriesDir = Path.GetDirectoryName(final)!;
        var created = !Directory.Exists(seriesDir);
        Directory.CreateDirectory(seriesDir);
        if (created)
        {
            DurableFiles.FsyncDirectory(layout.Studies);
            DurableFiles.FsyncDirectory(Path.GetDirectoryName(seriesDir)!);
        }
        if (File.Exists(final))
        {
            File.Delete(tempPath);
            return new StoredInstance(study, series, sop, sopClass, accession, final, AlreadyStored: true);
        }
        using (var stream = new FileStream(tempPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            stream.Flush(flushToDisk: true);
        try
        {
            File.Move(tempPath, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            // Two uploads of the same instance raced: the other one won, which is the same instance.
            File.Delete(tempPath);
            return new StoredInstance(study, series, sop, sopClass, accession, final, AlreadyStored: true);
        }
        DurableFiles.FsyncDirectory(seriesDir);
        return new StoredInstance(study, series, sop, sopClass, accession, final, AlreadyStored: false);
    }
}
