using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Dicom.Hu;
using Ich.Dicom.Series;

namespace Ich.Data.Dicom;

/// <summary>Options of the DICOM-based adapters.</summary>
/// <param name="Rules">Series-selection rules (defaults: <see cref="SeriesSelectionRules.Default"/>).</param>
/// <param name="Hu">HU conversion options for <see cref="SliceRecord.LoadHu"/>.</param>
public sealed record DicomDatasetOptions(SeriesSelectionRules? Rules = null, HuOptions? Hu = null);

/// <summary>
/// Plain DICOM input: every file below a folder (or one file) goes through the series assembler of
/// Ich.Dicom; each study gives its selected series (the documented selection rule) as one scan,
/// unlabelled, Dataset "dicom". Unreadable files, excluded slices, studies without an eligible
/// series and series that were not chosen are reported.
/// </summary>
public static class DicomFolderDataset
{
    public static IReadOnlyList<ScanRecord> Open(string path, LoadReport report, DicomDatasetOptions? options = null)
    {
        options ??= new DicomDatasetOptions();
        var assembly = Assemble(ListFiles(path), report, options.Rules);
        var scans = new List<ScanRecord>();
        foreach (var study in assembly.Studies)
        {
            if (SelectedOrReport(study, report) is not { } series) continue;
            scans.Add(Build(series, options, ScanIdSource.SeriesInstanceUid, DatasetKind.Dicom));
        }
        return scans;
    }

    /// <summary>Every regular file below <paramref name="path"/> (sorted), or the file itself.</summary>
    public static IReadOnlyList<string> ListFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new DatasetFormatException("DICOM file or folder not found", path);
        var files = Directory.EnumerateFiles(path, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint,
            })
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DatasetFormatException("folder holds no files", path);
        return files;
    }

    /// <summary>Runs the assembler and reports files it could not list and slices it excluded.</summary>
    public static SeriesAssembly Assemble(IEnumerable<string> files, LoadReport report, SeriesSelectionRules? rules)
    {
        var assembly = SeriesAssembler.Assemble(files, new SeriesAssemblyOptions { Rules = rules ?? SeriesSelectionRules.Default });
        foreach (var f in assembly.UnlistedFiles) report.Skip(f.Path, null, f.Reason);
        foreach (var series in assembly.AllSeries)
            foreach (var f in series.Excluded)
                report.Skip(f.Path, series.SeriesInstanceUid, f.Reason);
        return assembly;
    }

    /// <summary>The study's selected series; reports the others (and a study without one) and returns null then.</summary>
    public static SeriesReport? SelectedOrReport(StudyReport study, LoadReport report)
    {
        var selected = study.SelectedSeries;
        foreach (var s in study.Series.Where(s => !s.Selected))
            report.Note(FirstPath(s), s.SeriesInstanceUid, $"series '{s.SeriesDescription}' not used: {s.Reason}");
        if (selected is null)
            report.Skip(study.Series.Select(FirstPath).FirstOrDefault(p => p is not null), study.StudyInstanceUid, $"study has no usable series: {study.SelectionReason}");
        return selected;
    }

    /// <summary>A scan record of one series (Ich.Dicom's builder), relabelled with the adapter's dataset name.</summary>
    public static ScanRecord Build(SeriesReport series, DicomDatasetOptions options, ScanIdSource scanId, string dataset)
    {
        var record = ScanRecordBuilder.Build(series, new ScanRecordOptions { ScanId = scanId, Hu = options.Hu ?? HuOptions.Default });
        return record with { Dataset = dataset };
    }

    private static string? FirstPath(SeriesReport s) =>
        s.Slices.Select(x => x.Header.Path).FirstOrDefault() ?? s.Excluded.Select(e => e.Path).FirstOrDefault();
}
