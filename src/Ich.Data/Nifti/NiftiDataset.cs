using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Dicom.Reading;

namespace Ich.Data.Nifti;

/// <summary>
/// Plain NIfTI input: one file, or every .nii/.nii.gz/.hdr file of a folder (recursively, listed by the
/// project's one file walker, <see cref="FileEnumeration"/>), one scan each, unlabelled. Volumes inside a
/// .zip archive are reported and not read: the reader opens files by path (a .hdr needs its .img beside it). ScanId and PatientId = the file path relative to the folder without extension
/// (one scan per patient is assumed: give patient IDs through a labelled adapter for CV splits).
/// A file that cannot be read is reported and skipped; the others load.
/// </summary>
public static class NiftiDataset
{
    public static IReadOnlyList<ScanRecord> Open(string path, LoadReport report)
    {
        if (File.Exists(path)) return [OpenFile(path, Stem(Path.GetFileName(path)), report)];
        if (!Directory.Exists(path)) throw new DatasetFormatException("NIfTI file or folder not found", path);
        var scans = new List<ScanRecord>();
        var files = new List<string>();
        foreach (var input in FileEnumeration.EnumerateWhere([path], NiftiFile.IsNiftiName))
        {
            if (input.Error is not null) report.Skip(input.DisplayPath, null, input.Error);
            else if (input.FilePath is null) report.Skip(input.DisplayPath, null, InArchive);
            else files.Add(input.FilePath);
        }
        if (files.Count == 0) throw new DatasetFormatException("no .nii, .nii.gz or .hdr file in folder", path);
        foreach (var file in files)
        {
            try { scans.Add(OpenFile(file, Stem(Path.GetRelativePath(path, file)), report)); }
            catch (IchException e) { report.Skip(file, null, e.Reason); }
        }
        return scans;
    }

    /// <summary>Why a NIfTI volume inside a .zip archive is not read.</summary>
    public const string InArchive = "NIfTI inside a .zip archive is not read (the NIfTI reader needs the file on disk): unzip the archive first";

    /// <summary>One file as a scan (header read now, voxels on first <see cref="SliceRecord.LoadHu"/>).</summary>
    public static ScanRecord OpenFile(string file, string scanId, LoadReport report) =>
        NiftiScan.Open(file).ToScanRecord(DatasetKind.Nifti, scanId, scanId, report);

    /// <summary>File name without .nii, .nii.gz or .hdr.</summary>
    public static string Stem(string name)
    {
        var lower = name.ToLowerInvariant();
        foreach (var ext in new[] { ".nii.gz", ".nii", ".hdr" })
            if (lower.EndsWith(ext)) return name[..^ext.Length].Replace('\\', '/');
        return name;
    }
}
