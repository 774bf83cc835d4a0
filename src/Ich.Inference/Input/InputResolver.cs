using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.Dicom;
using Ich.Data.Nifti;
using Ich.Data.PhysioNet;
using Ich.Dicom.Reading;
using Ich.Inference.Pipeline;
using Microsoft.Extensions.Logging;

namespace Ich.Inference.Input;

/// <summary>
/// The one resolver of input paths (<c>ich predict</c>, <c>ich explain-eval</c>, the held-out check, the
/// service): turns paths into scans, one <see cref="ScanInput"/> per scan or per failure, without modifying
/// or extracting anything. Files are listed by <see cref="FileEnumeration"/> only (folders recursively, .zip
/// archives in place, symlink loops reported, companion and hidden files skipped), and scans are built by the
/// <see cref="DatasetCatalog"/> adapters only: DICOM files, folders and .zip archives (several studies at
/// once; per study the series assembler chooses the series and says why) by <see cref="DicomFolderDataset"/>,
/// NIfTI files or folders of them by <see cref="NiftiDataset"/>, the PhysioNet CT-ICH layout (a root holding
/// <c>Patients_CT/</c>, or single patient folders holding <c>brain/</c> and <c>bone/</c> JPGs) by
/// <see cref="PhysioNetJpgDataset"/>. NIfTI files and JPG exports inside a .zip are not read: their readers
/// open files by path (a NIfTI .hdr needs its .img beside it), and unpacking archives to disk is what this
/// resolver avoids; such entries are a failure that says to unzip. What the adapters skipped or adjusted is logged as
/// warnings to <paramref name="log"/>, one line per issue.
/// </summary>
public sealed partial class InputResolver(ILogger? log = null)
{
    public IReadOnlyList<ScanInput> Resolve(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new List<ScanInput>();
        var looseDicom = new List<InputFile>();
        foreach (var raw in paths)
        {
            var path = Path.GetFullPath(raw);
            try
            {
                if (Directory.Exists(path)) result.AddRange(FromFolder(path, raw));
                else if (File.Exists(path))
                {
                    if (NiftiFile.IsNiftiName(path)) result.AddRange(FromDataset(DatasetKind.Nifti, path, raw));
                    else if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) result.AddRange(FromListing(path, raw));
                    else looseDicom.AddRange(FileEnumeration.Enumerate([path]));
                }
                else result.Add(ScanInput.Failed(raw, "path not found or not readable"));
            }
            catch (IchException e) { result.Add(ScanInput.Failed(raw, e.Message)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            { result.Add(ScanInput.Failed(raw, $"cannot read: {e.Message}")); }
        }
        if (looseDicom.Count > 0)
            result.AddRange(FromDicom(looseDicom, looseDicom.Count == 1 ? looseDicom[0].DisplayPath : $"{looseDicom.Count} DICOM files"));
        return result;
    }

    private IEnumerable<ScanInput> FromFolder(string path, string source)
    {
        if (Directory.Exists(Path.Combine(path, PhysioNetJpgDataset.PatientsFolder)) || PhysioNetJpgDataset.IsPatientFolder(path))
            return FromDataset(DatasetKind.PhysioNet, path, source);
        return FromListing(path, source);
    }

    /// <summary>A folder or .zip archive: DICOM candidates to the DICOM adapter, NIfTI volumes to the NIfTI adapter.</summary>
    private IEnumerable<ScanInput> FromListing(string path, string source)
    {
        var skipped = new List<string>();
        var dicom = FileEnumeration.Enumerate([path], skipped.Add).ToList();
        var nifti = FileEnumeration.EnumerateWhere([path], NiftiFile.IsNiftiName).Where(i => i.Error is null).ToList();
        var isFolder = Directory.Exists(path);
        // A folder of volumes only is one NIfTI dataset (scan IDs relative to the folder), as the adapter opens it.
        if (dicom.Count == 0 && isFolder && nifti.Any(n => n.FilePath is not null)) return FromDataset(DatasetKind.Nifti, path, source);
        var result = new List<ScanInput>();
        if (dicom.Count > 0) result.AddRange(FromDicom(dicom, source));
        foreach (var volume in nifti)
            result.AddRange(volume.FilePath is { } file ? FromDataset(DatasetKind.Nifti, file, file) : [ScanInput.Failed(volume.DisplayPath, NiftiDataset.InArchive)]);
        if (result.Count > 0) return result;
        if (skipped.Count == 0) return [ScanInput.Failed(source, isFolder ? "folder is empty" : "archive is empty")];
        return [ScanInput.Failed(source, !isFolder && skipped.Any(IsJpg)
            ? "no DICOM image in the archive (a PhysioNet JPG export is read from a folder only: unzip the archive first)"
            : "no image files (only documentation, label or mask files)")];
    }

    private static bool IsJpg(string name) =>
        name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase);

    private IEnumerable<ScanInput> FromDataset(string kind, string path, string source)
    {
        var load = DatasetCatalog.Open(kind, path);
        Warn(load.Report, source);
        var result = load.Scans.Select(s => new ScanInput(source, s, null)).ToList();
        // Whole scans that were skipped become failures; skipped single slices stay warnings.
        foreach (var skip in load.Report.Skipped.Where(i => i.Item is not null && !i.Item.Contains('/') && i.Path is not null && Directory.Exists(i.Path)))
            result.Add(ScanInput.Failed(skip.Path!, skip.Reason));
        if (result.Count == 0) result.Add(ScanInput.Failed(source, "no scan found"));
        return result;
    }

    private IEnumerable<ScanInput> FromDicom(List<InputFile> inputs, string source)
    {
        var report = new LoadReport();
        var (studies, assembly) = DicomFolderDataset.OpenStudies(inputs, report);
        Warn(report, null);
        var result = new List<ScanInput>();
        foreach (var study in studies)
        {
            if (study.Scan is not { } scan || study.Series is not { } series)
            {
                result.Add(ScanInput.Failed(source, $"study {study.Study.StudyInstanceUid}: {study.Error}"));
                continue;
            }
            var accession = series.Slices.Select(s => s.Header.AccessionNumber).FirstOrDefault(a => a is not null);
            result.Add(new ScanInput(source, scan, null, SliceIdsAreSopInstanceUids: true, SeriesDecision: study.Study.SelectionReason,
                Dicom: new DicomIdentity(series.StudyInstanceUid, series.SeriesInstanceUid, accession)));
        }
        if (result.Count == 0)
        {
            var why = assembly.UnlistedFiles.Count > 0
                ? $"no DICOM image could be read ({assembly.UnlistedFiles.Count} file(s); first: {Path.GetFileName(assembly.UnlistedFiles[0].Path)}: {assembly.UnlistedFiles[0].Reason})"
                : "no DICOM series found";
            result.Add(ScanInput.Failed(source, why));
        }
        return result;
    }

    private void Warn(LoadReport report, string? source)
    {
        if (log is null) return;
        foreach (var issue in report.Issues) InputIssue(log, source is null ? issue.ToString() : $"{source}: {issue}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Issue}")]
    private static partial void InputIssue(ILogger logger, string issue);
}
