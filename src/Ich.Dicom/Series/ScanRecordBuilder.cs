using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Dicom.Hu;

namespace Ich.Dicom.Series;

/// <summary>Which UID becomes <see cref="ScanRecord.ScanId"/>.</summary>
public enum ScanIdSource
{
    /// <summary>SeriesInstanceUID (default): unique even when a study has several series.</summary>
    SeriesInstanceUid,
    /// <summary>StudyInstanceUID: one scan per study, as RSNA 2019 groups its sequences.</summary>
    StudyInstanceUid,
}

/// <summary>Options of <see cref="ScanRecordBuilder"/>.</summary>
public sealed record ScanRecordOptions
{
    public ScanIdSource ScanId { get; init; } = ScanIdSource.SeriesInstanceUid;
    /// <summary>HU conversion used by <see cref="SliceRecord.LoadHu"/>.</summary>
    public HuOptions Hu { get; init; } = HuOptions.Default;
    /// <summary>Reads one slice's HU image; defaults to <see cref="HuSliceLoader"/> on the slice's file. Called lazily, once per LoadHu call.</summary>
    public Func<SliceHeader, HuOptions, HuImage>? SliceLoader { get; init; }
}

/// <summary>
/// Turns an assembled series into the <see cref="ScanRecord"/> every consumer uses: Dataset "dicom";
/// PatientId = PatientID, else StudyInstanceUID; ScanId = SeriesInstanceUID (or StudyInstanceUID, see
/// <see cref="ScanIdSource"/>); slices lowest first, SliceId = SOPInstanceUID, ZMm = position along the
/// slice normal; LoadHu decodes the file only when called.
/// </summary>
public static class ScanRecordBuilder
{
    public const string DatasetName = "dicom";

    /// <summary>Builds the record; throws <see cref="SeriesGeometryException"/> for a series without slices.</summary>
    public static ScanRecord Build(SeriesReport series, ScanRecordOptions? options = null)
    {
        options ??= new ScanRecordOptions();
        if (series.Slices.Count == 0)
            throw new SeriesGeometryException($"series {series.SeriesInstanceUid} has no slice that can be ordered", series.Excluded.FirstOrDefault()?.Path);
        var load = options.SliceLoader ?? LoadSlice;
        var hu = options.Hu;
        // Slices whose pixels are known to be unreadable leave the scan (indices close up, z keeps the gap) and are
        // listed, so a partly damaged study is still triaged on the rest; ScanCompleteness decides when too much is missing.
        var slices = series.Slices.Where(s => s.Header.PixelDataProblem is null).Select((s, index) =>
        {
            var header = s.Header;
            return new SliceRecord(s.SopInstanceUid, index, s.PositionMm, null, () => load(header, hu), header.Path);
        }).ToList();
        var missing = series.Slices.Where(s => s.Header.PixelDataProblem is not null)
            .Select(s => new MissingSlice(s.SopInstanceUid, s.PositionMm, s.Header.Path, s.Header.PixelDataProblem!))
            .ToList();
        return new ScanRecord(
            DatasetName,
            series.PatientId ?? series.StudyInstanceUid,
            options.ScanId == ScanIdSource.StudyInstanceUid ? series.StudyInstanceUid : series.SeriesInstanceUid,
            slices,
            ScanLabels: null,
            SliceThicknessMm: series.Geometry.ThicknessMm)
        {
            MissingSlices = missing,
        };
    }

    /// <summary>The default slice loader: decodes the header's input (disk file or zip entry) to HU.</summary>
    public static HuImage LoadSlice(SliceHeader header, HuOptions options) =>
        header.Input is { } input ? HuSliceLoader.LoadWithInfo(input, options).Image : HuSliceLoader.Load(header.Path, options);

    /// <summary>The scan of every study that has a selected series, in study order.</summary>
    public static IEnumerable<ScanRecord> SelectedScans(this SeriesAssembly assembly, ScanRecordOptions? options = null) =>
        assembly.Studies.Where(s => s.SelectedSeries is not null).Select(s => Build(s.SelectedSeries!, options));
}
