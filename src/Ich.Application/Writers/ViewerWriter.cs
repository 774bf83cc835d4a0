using Ich.Application.Prediction;
using Ich.Core;
using Ich.Core.Text;
using Ich.Dicom.Reading;
using Ich.Dicom.Series;
using Ich.Viewer;

namespace Ich.Application.Writers;

/// <summary>
/// The study viewer of every predicted scan: <c>viewer/&lt;scan_id&gt;.html</c>, one self-contained page
/// (docs/viewer.md) with every slice, the three window presets, the overlays on the absolute scale of
/// <see cref="AbsoluteSaliency"/>, the segmentation head's predicted mask on the slices that have one (models with
/// decoders), the per-slice chart with each class's flag threshold, and R/L markers from the DICOM geometry. The report links to it. Slices are re-read one scan at a time and released when
/// the page is written.
/// </summary>
public sealed class ViewerWriter(string outDir) : IPredictionOutputWriter
{
    /// <summary>Folder of the viewer pages inside the output folder.</summary>
    public const string Folder = "viewer";

    private PredictionRunInfo? _run;
    private readonly List<string> _failures = [];

    /// <summary>Scans whose page could not be written, with the reason (the run goes on; the CLI prints them).</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>The page of a scan, relative to the output folder (what the report links to).</summary>
    public static string RelativePath(string scanId) => $"{Folder}/{SafePathSegment.From(scanId)}.html";

    public void Begin(PredictionRunInfo run) => _run = run;

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (scan.Prediction is not { } p || _run is null) return;
        // Input the viewer refuses (e.g. two slices at one z) costs this scan its page, not the batch its outputs.
        try { WritePage(scan, p, _run); }
        catch (Ich.Core.Errors.IchException e) { _failures.Add($"{scan.ScanId}: no viewer page: {e.Message}"); }
    }

    private void WritePage(ScanResult scan, Ich.Inference.Pipeline.ScanPrediction p, PredictionRunInfo run)
    {
        var slices = p.Scan.Slices;
        var maps = p.Saliency.ToLookup(m => m.SliceIndex);
        var viewerSlices = new List<ViewerSlice>(slices.Count);
        for (var i = 0; i < slices.Count; i++)
        {
            float[]?[]? saliency = null;
            foreach (var map in maps[i])
            {
                saliency ??= new float[HemorrhageClasses.Count][];
                saliency[map.ClassIndex] = AbsoluteSaliency.Of(p, map);
            }
            viewerSlices.Add(new ViewerSlice
            {
                SliceId = slices[i].SliceId,
                ZMm = p.PositionsMm[i],
                Hu = p.SaliencySlices.TryGetValue(i, out var hu) ? hu : slices[i].LoadHu(),
                Probabilities = Enumerable.Range(0, HemorrhageClasses.Count).Select(c => (double)p.Probabilities[i * HemorrhageClasses.Count + c]).ToArray(),
                Saliency = saliency,
                PredictedMask = p.PredictedMasks.TryGetValue(i, out var mask) ? UnitRange(mask.Values) : null,
            });
        }
        var study = new ViewerStudy
        {
            ScanId = scan.ScanId,
            ModelName = run.Model.Name,
            ModelVersion = run.Model.Version,
            OperatingPoint = "flag when the scan maximum reaches the class threshold; overlay scale: " + AbsoluteSaliency.Legend,
            FlagThresholds = run.Thresholds.ToArray(),
            FlaggedClasses = Enumerable.Range(0, HemorrhageClasses.Count).Where(c => p.Flags[c]).Select(c => HemorrhageClasses.Names[c]).ToArray(),
            Orientation = Orientation(slices[0].SourcePath),
            HasSegmentationHead = run.Model.Backbones.Any(b => b.HasDecoders),
            Slices = viewerSlices,
        };
        var path = Path.Combine(outDir, RelativePath(scan.ScanId));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        StudyViewerHtml.Write(path, study);
    }

    public void Complete(PredictionSummary summary)
    {
    }

    // The mask is a sigmoid averaged and resampled bilinearly, in [0, 1] up to float rounding; the viewer refuses values
    // outside, so an ulp of overshoot must not cost the scan its page. NaN stays NaN and is refused as the bad input it is.
    private static float[] UnitRange(float[] values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = Math.Clamp(values[i], 0f, 1f); // NaN passes through
        return result;
    }

    /// <summary>The row/column directions of a DICOM slice (R/L markers); axial when the source is not DICOM or has none.</summary>
    private static PatientOrientation Orientation(string? sourcePath)
    {
        if (sourcePath is null || !File.Exists(sourcePath)) return PatientOrientation.Axial;
        try
        {
            using var file = DicomFileReader.Read(sourcePath, DicomReadOptions.Header);
            return SliceHeader.FromDataset(sourcePath, file.Dataset).OrientationCosines is { Count: 6 } iop
                ? PatientOrientation.FromImageOrientationPatient(iop)
                : PatientOrientation.Axial;
        }
        catch (Ich.Core.Errors.IchException)
        {
            return PatientOrientation.Axial; // not DICOM (NIfTI, PhysioNet JPG): the markers assume the reader's axial presentation
        }
    }
}
