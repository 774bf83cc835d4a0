using System.Globalization;
using System.IO.Compression;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.Nifti;
using Ich.Data.PhysioNet;
using Ich.Dicom.Series;
using Ich.Inference.Pipeline;

namespace Ich.Inference.Input;

/// <summary>
/// Turns the paths given to <c>ich predict</c> into scans, one <see cref="ScanInput"/> per scan or per
/// failure, without modifying anything in the inputs (zip archives are extracted to a private
/// temporary folder). Recognised: DICOM files, folders and .zip archives (several studies at once;
/// per study the series assembler chooses the series and says why), NIfTI files or folders of them,
/// the PhysioNet CT-ICH layout (a root holding <c>Patients_CT/</c>, or single patient folders holding
/// <c>brain/</c> and <c>bone/</c> JPGs).
/// </summary>
public sealed class InputResolver(string tempRoot, Action<string>? warn = null)
{
    public IReadOnlyList<ScanInput> Resolve(IReadOnlyList<string> paths)
    {
        var result = new List<ScanInput>();
        var looseDicom = new List<string>();
        foreach (var raw in paths)
        {
            var path = Path.GetFullPath(raw);
            try
            {
                if (Directory.Exists(path)) result.AddRange(FromFolder(path, raw));
                else if (File.Exists(path))
                {
                    if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) result.AddRange(FromZip(path, raw));
                    else if (NiftiFile.IsNiftiName(path)) result.AddRange(FromNifti(path, raw));
                    else looseDicom.Add(path);
                }
                else result.Add(ScanInput.Failed(raw, "path not found or not readable"));
            }
            catch (IchException e) { result.Add(ScanInput.Failed(raw, e.Message)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            { result.Add(ScanInput.Failed(raw, $"cannot read: {e.Message}")); }
        }
        if (looseDicom.Count > 0)
            result.AddRange(FromDicomFiles(looseDicom, looseDicom.Count == 1 ? looseDicom[0] : $"{looseDicom.Count} DICOM files"));
        return result;
    }

    private IEnumerable<ScanInput> FromFolder(string path, string source)
    {
        if (Directory.Exists(Path.Combine(path, PhysioNetJpgDataset.PatientsFolder)))
            return FromDataset(PhysioNetJpgDataset.Open, path, source);
        if (Directory.Exists(Path.Combine(path, "brain")) && Directory.Exists(Path.Combine(path, "bone")))
            return [PhysioNetPatient(path, source)];
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) return [ScanInput.Failed(source, "folder is empty")];
        if (files.All(IsSidecar)) return [ScanInput.Failed(source, "no image files (only documentation, label or mask files)")];
        if (files.All(NiftiFile.IsNiftiName)) return FromNifti(path, source);
        var dicom = files.Where(f => !NiftiFile.IsNiftiName(f) && !IsSidecar(f)).ToList();
        var nifti = files.Where(NiftiFile.IsNiftiName).ToList();
        var result = FromDicomFiles(dicom, source).ToList();
        foreach (var n in nifti) result.AddRange(FromNifti(n, n));
        return result;
    }

    private static readonly HashSet<string> SidecarExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".csv", ".tsv", ".md", ".txt", ".json", ".ichmask", ".png", ".jpg", ".jpeg", ".html", ".pdf", ".xml" };

    /// <summary>Documentation and label files that sit beside DICOM series (README, labels.csv, masks): not offered to the DICOM reader.</summary>
    private static bool IsSidecar(string path) => SidecarExtensions.Contains(Path.GetExtension(path));

    private IEnumerable<ScanInput> FromZip(string path, string source)
    {
        var dir = Path.Combine(tempRoot, $"zip-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        ZipFile.ExtractToDirectory(path, dir); // rejects entries that would escape the folder
        return FromFolder(dir, source).Select(i => i with { Source = source });
    }

    private IEnumerable<ScanInput> FromNifti(string path, string source) => FromDataset(NiftiDataset.Open, path, source);

    private IEnumerable<ScanInput> FromDataset(Func<string, LoadReport, IReadOnlyList<ScanRecord>> open, string path, string source)
    {
        var report = new LoadReport();
        var scans = open(path, report);
        foreach (var issue in report.Issues) warn?.Invoke($"{source}: {issue}");
        var result = scans.Select(s => new ScanInput(source, s, null)).ToList();
        // Whole scans that were skipped become failures; skipped single slices stay warnings.
        foreach (var skip in report.Skipped.Where(i => i.Item is not null && !i.Item.Contains('/') && i.Path is not null && Directory.Exists(i.Path)))
            result.Add(ScanInput.Failed(skip.Path!, skip.Reason));
        if (result.Count == 0) result.Add(ScanInput.Failed(source, "no scan found"));
        return result;
    }

    private IEnumerable<ScanInput> FromDicomFiles(List<string> files, string source)
    {
        var assembly = SeriesAssembler.Assemble(files);
        foreach (var f in assembly.UnlistedFiles) warn?.Invoke($"{f.Path}: skipped: {f.Reason}");
        var result = new List<ScanInput>();
        foreach (var study in assembly.Studies)
        {
            var selected = study.SelectedSeries;
            if (selected is null)
            {
                result.Add(ScanInput.Failed(source, $"study {study.StudyInstanceUid}: {study.SelectionReason}"));
                continue;
            }
            foreach (var e in selected.Excluded) warn?.Invoke($"{e.Path}: excluded from series {selected.SeriesInstanceUid}: {e.Reason}");
            try
            {
                result.Add(new ScanInput(source, ScanRecordBuilder.Build(selected), null, SliceIdsAreSopInstanceUids: true,
                    SeriesDecision: study.SelectionReason, Dicom: new DicomIdentity(selected.StudyInstanceUid, selected.SeriesInstanceUid,
                        selected.Slices.Select(s => s.Header.AccessionNumber).FirstOrDefault(a => a is not null))));
            }
            catch (IchException e) { result.Add(ScanInput.Failed(source, e.Message)); }
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

    /// <summary>One PhysioNet patient folder (brain/N.jpg + bone/N.jpg, N = slice number, 1 = lowest), unlabelled.</summary>
    private static ScanInput PhysioNetPatient(string dir, string source)
    {
        var id = Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar));
        var numbers = Directory.EnumerateFiles(Path.Combine(dir, "brain"), "*.jpg")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1)
            .Where(n => n >= 0).Order().ToList();
        var pairs = numbers.Select(n => (Brain: Path.Combine(dir, "brain", $"{n}.jpg"), Bone: Path.Combine(dir, "bone", $"{n}.jpg")))
            .Where(p => File.Exists(p.Bone)).ToList();
        if (pairs.Count == 0) return ScanInput.Failed(source, "PhysioNet patient folder without brain/N.jpg + bone/N.jpg pairs");
        var used = pairs.Select(p => int.Parse(Path.GetFileNameWithoutExtension(p.Brain), CultureInfo.InvariantCulture)).ToList();
        var mapping = new Lazy<BoneMapping>(() => PhysioNetJpgDataset.FitScan(id, pairs));
        var slices = pairs.Select((p, i) => new SliceRecord(used[i].ToString(CultureInfo.InvariantCulture), i,
            (used[i] - 1) * PhysioNetJpgDataset.SliceThicknessMm, null, () => PhysioNetJpgDataset.LoadPair(p.Brain, p.Bone, mapping.Value), p.Brain)).ToList();
        return new ScanInput(source, new ScanRecord(DatasetKind.PhysioNet, id, id, slices, null, PhysioNetJpgDataset.SliceThicknessMm), null);
    }
}
