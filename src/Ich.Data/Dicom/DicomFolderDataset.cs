using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Dicom.Hu;
using Ich.Dicom.Reading;
using Ich.Dicom.Series;

namespace Ich.Data.Dicom;

/// <summary>Options of the DICOM-based adapters.</summary>
/// <param name="Rules">Series-selection rules (defaults: <see cref="SeriesSelectionRules.Default"/>).</param>
/// <param name="Hu">HU conversion options for <see cref="SliceRecord.LoadHu"/>.</param>
public sealed record DicomDatasetOptions(SeriesSelectionRules? Rules = null, HuOptions? Hu = null);

/// <summary>One study of a DICOM input: the scan of its selected series, or why there is none.</summary>
/// <param name="Study">The study as the series assembler reported it (series, selection reason).</param>
/// <param name="Series">The selected series, or null when the study has none.</param>
/// <param name="Scan">The scan built from <paramref name="Series"/>, or null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the study gives no scan (no usable series, a series that cannot be ordered).</param>
public sealed record DicomStudyScan(StudyReport Study, SeriesReport? Series, ScanRecord? Scan, string? Error);

/// <summary>
/// Plain DICOM input: every file below a folder, the entries of a .zip archive (read in place, never
/// extracted) or one file, listed by <see cref="FileEnumeration"/> (companion and hidden files skipped,
/// symlink loops reported), go through the series assembler of Ich.Dicom; each study gives its selected
/// series (the documented selection rule) as one scan, unlabelled, Dataset "dicom". Unreadable files,
/// excluded slices, studies without an eligible series and series that were not chosen are reported.
/// </summary>
public static class DicomFolderDataset
{
    public static IReadOnlyList<ScanRecord> Open(string path, LoadReport report, DicomDatasetOptions? options = null)
    {
        var scans = new List<ScanRecord>();
        foreach (var study in OpenStudies(ListInputs(path, report), report, options).Studies)
        {
            if (study.Scan is not null) scans.Add(study.Scan);
            else report.Skip(FirstPath(study.Study), study.Study.StudyInstanceUid, study.Error!);
        }
        return scans;
    }

    /// <summary>
    /// The inputs below <paramref name="path"/> (a folder, a .zip archive or a file) through
    /// <see cref="FileEnumeration"/>; each companion or hidden file it skips is reported as skipped.
    /// </summary>
    public static IReadOnlyList<InputFile> ListInputs(string path, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new DatasetFormatException("DICOM file or folder not found", path);
        var skipped = 0;
        var inputs = FileEnumeration.Enumerate([path], f =>
        {
            skipped++;
            report.Skip(f, null, "not read as DICOM: companion (.md, .csv, .json, images, volumes ...) or hidden file");
        }).ToList();
        if (inputs.Count == 0 && skipped == 0) throw new DatasetFormatException("folder holds no files", path);
        return inputs;
    }

    /// <summary>
    /// Assembles <paramref name="inputs"/> and builds one scan per study from its selected series. Unreadable
    /// files, excluded slices and series that were not chosen go to <paramref name="report"/>; a study without
    /// a scan is returned with its <see cref="DicomStudyScan.Error"/> for the caller to report or fail.
    /// </summary>
    public static (IReadOnlyList<DicomStudyScan> Studies, SeriesAssembly Assembly) OpenStudies(IEnumerable<InputFile> inputs,
        LoadReport report, DicomDatasetOptions? options = null, string? dataset = null)
    {
        options ??= new DicomDatasetOptions();
        dataset ??= DatasetKind.Dicom;
        var assembly = Assemble(inputs, report, options.Rules);
        var studies = new List<DicomStudyScan>();
        foreach (var study in assembly.Studies)
        {
            NoteUnselected(study, report);
            if (study.SelectedSeries is not { } series)
            {
                studies.Add(new DicomStudyScan(study, null, null, $"study has no usable series: {study.SelectionReason}"));
                continue;
            }
            try { studies.Add(new DicomStudyScan(study, series, Build(series, options, ScanIdSource.SeriesInstanceUid, dataset), null)); }
            catch (IchException e) { studies.Add(new DicomStudyScan(study, series, null, e.Message)); }
        }
        return (studies, assembly);
    }

    /// <summary>Runs the assembler and reports files it could not list and slices it excluded.</summary>
    public static SeriesAssembly Assemble(IEnumerable<InputFile> inputs, LoadReport report, SeriesSelectionRules? rules)
    {
        ArgumentNullException.ThrowIfNull(report);
        var assembly = SeriesAssembler.Assemble(inputs, new SeriesAssemblyOptions { Rules = rules ?? SeriesSelectionRules.Default });
        foreach (var f in assembly.UnlistedFiles) report.Skip(f.Path, null, f.Reason);
        foreach (var series in assembly.AllSeries)
            foreach (var f in series.Excluded)
                report.Skip(f.Path, series.SeriesInstanceUid, f.Reason);
        return assembly;
    }

    /// <summary>The study's selected series; reports the others (and a study without one) and returns null then.</summary>
    public static SeriesReport? SelectedOrReport(StudyReport study, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(study);
        NoteUnselected(study, report);
        if (study.SelectedSeries is null)
            report.Skip(FirstPath(study), study.StudyInstanceUid, $"study has no usable series: {study.SelectionReason}");
        return study.SelectedSeries;
    }

    /// <summary>A scan record of one series (Ich.Dicom's builder), relabelled with the adapter's dataset name.</summary>
    public static ScanRecord Build(SeriesReport series, DicomDatasetOptions options, ScanIdSource scanId, string dataset)
    {
        ArgumentNullException.ThrowIfNull(options);
        var record = ScanRecordBuilder.Build(series, new ScanRecordOptions { ScanId = scanId, Hu = options.Hu ?? HuOptions.Default });
        return record with { Dataset = dataset };
    }

    private static void NoteUnselected(StudyReport study, LoadReport report)
    {
        foreach (var s in study.Series.Where(s => !s.Selected))
            report.Note(FirstPath(s), s.SeriesInstanceUid, $"series '{s.SeriesDescription}' not used: {s.Reason}");
    }

    private static string? FirstPath(StudyReport study) => study.Series.Select(FirstPath).FirstOrDefault(p => p is not null);

    private static string? FirstPath(SeriesReport s) =>
        s.Slices.Select(x => x.Header.Path).FirstOrDefault() ?? s.Excluded.Select(e => e.Path).FirstOrDefault();
}
