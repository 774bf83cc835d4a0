namespace Ich.Core.Scans;

/// <summary>
/// One slice of a scan as every dataset adapter presents it: identity, position and optional labels;
/// pixels are loaded on demand (<see cref="LoadHu"/>) so that thousands of scans can be indexed cheaply.
/// </summary>
/// <param name="SliceId">Stable ID: SOPInstanceUID for DICOM, the slice number for PhysioNet/NIfTI.</param>
/// <param name="Index">0 = lowest slice of the scan (slice order along the normal).</param>
/// <param name="ZMm">Position along the slice normal in mm (NaN when unknown).</param>
/// <param name="Labels">Six 0/1 labels in <see cref="HemorrhageClasses"/> order, or null when unlabelled.</param>
/// <param name="LoadHu">Reads and decodes the slice; throws an <see cref="Errors.IchException"/> naming the file on failure.</param>
/// <param name="SourcePath">The file the pixels come from, for messages.</param>
public sealed record SliceRecord(
    string SliceId,
    int Index,
    double ZMm,
    float[]? Labels,
    Func<HuImage> LoadHu,
    string? SourcePath = null);

/// <summary>A slice of the series that is not in the scan because its pixels cannot be read.</summary>
/// <param name="SliceId">SOPInstanceUID (or the adapter's slice ID).</param>
/// <param name="ZMm">Where it was along the slice normal, mm.</param>
/// <param name="SourcePath">Its file.</param>
/// <param name="Reason">Why it cannot be read.</param>
public sealed record MissingSlice(string SliceId, double ZMm, string? SourcePath, string Reason);

/// <summary>An ordered scan (one series) with its patient, for training, features and prediction.</summary>
/// <param name="Dataset">Adapter name: rsna, physionet, cq500, nifti, dicom, phantom.</param>
/// <param name="PatientId">The unit of cross-validation splits (never split a patient across folds).</param>
/// <param name="ScanId">Unique within the dataset (study/series UID, patient number, ...).</param>
/// <param name="Slices">Slices in order, lowest first.</param>
/// <param name="ScanLabels">Scan-level labels (CQ500 reads) when slice labels are absent, else null.</param>
/// <param name="SliceThicknessMm">From the SliceThickness tag or header, when known.</param>
public sealed record ScanRecord(
    string Dataset,
    string PatientId,
    string ScanId,
    IReadOnlyList<SliceRecord> Slices,
    float[]? ScanLabels = null,
    double? SliceThicknessMm = null)
{
    /// <summary>Slices of the series whose pixels could not be read (left out of <see cref="Slices"/>), with where they were.</summary>
    public IReadOnlyList<MissingSlice> MissingSlices { get; init; } = [];

    /// <summary>
    /// Where the slices' HU values come from. Checks that judge the pixels as CT (air around the head below −500 HU)
    /// hold only for <see cref="HuSource.Stored"/>; the adapter that rebuilds HU says so here rather than every such
    /// check knowing dataset names.
    /// </summary>
    public HuSource HuSource { get; init; } = HuSource.Stored;

    /// <summary>Spacing to the next slice in mm (last slice copies the previous), the sequence model's Δz input.</summary>
    public double[] SliceSpacingsMm()
    {
        var n = Slices.Count;
        var dz = new double[n];
        for (var i = 0; i + 1 < n; i++) dz[i] = Slices[i + 1].ZMm - Slices[i].ZMm;
        if (n >= 2) dz[n - 1] = dz[n - 2];
        for (var i = 0; i < n; i++)
            if (double.IsNaN(dz[i])) dz[i] = SliceThicknessMm ?? 5.0;
        return dz;
    }
}
