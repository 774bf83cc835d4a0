using Ich.Application.Prediction;
using Ich.Core;
using Ich.DicomResults;
using Ich.DicomResults.Input;
using Ich.Inference.Pipeline;

namespace Ich.Application.Writers;

/// <summary>
/// <c>ich predict --dicom [keys|full]</c>: for every predicted DICOM scan, the Structured Report, Key Object
/// Selection and Secondary Captures that join the source study, under <c>dicom/&lt;StudyInstanceUID&gt;/</c>
/// (Ich.DicomResults, docs/dicom-results.md). The numbers are the run's own: the SR's probabilities are the
/// scan maxima of scans.csv, its flags the run's thresholds. Scans that are not DICOM have no study to join and
/// get no DICOM results.
/// </summary>
public sealed class DicomResultsWriter(string outDir, CaptureMode mode) : IPredictionOutputWriter
{
    /// <summary>How many top slices the SR references per class.</summary>
    public const int TopSlicesPerClass = 3;

    private PredictionRunInfo? _run;
    private readonly List<string> _failures = [];

    /// <summary>Scans whose DICOM results could not be written, with the reason (the run goes on; the CLI prints them, the service fails the study).</summary>
    public IReadOnlyList<string> Failures => _failures;

    public void Begin(PredictionRunInfo run) => _run = run;

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (scan.Prediction is not { } p || _run is null || !scan.Input.SliceIdsAreSopInstanceUids) return;
        var paths = p.Scan.Slices.Select(s => s.SourcePath).ToList();
        if (paths.Any(path => path is null || !File.Exists(path)))
        {
            _failures.Add($"{scan.ScanId}: no DICOM results: its slices are not plain files (zip entries), so there is no source to copy the study identity from");
            return;
        }
        // A source the writers refuse (an invalid UID, an identity that cannot be copied) costs this scan its results, not the batch.
        try { Write(p, paths.Select(path => path!).ToList(), _run); }
        catch (Ich.Core.Errors.IchException e) { _failures.Add($"{scan.ScanId}: no DICOM results: {e.Message}"); }
    }

    private void Write(ScanPrediction p, List<string> paths, PredictionRunInfo run)
    {
        var (study, series) = SourceStudyReader.FromFiles(paths);
        var findings = Enumerable.Range(0, HemorrhageClasses.Count).Select(c => new ClassFinding(
            HemorrhageClasses.Names[c], p.ScanMax[c], run.Thresholds[c], p.Flags[c], TopSlices(p, c))).ToList();
        var input = new StudyResultInput
        {
            Study = study,
            Series = series,
            Algorithm = new AlgorithmInfo(run.Model.Name, run.Model.Version, []), // the writer states each class's operating point
            Findings = findings,
            Slices = [],
        };
        var wanted = mode == CaptureMode.Full ? Enumerable.Range(0, p.Scan.Slices.Count).ToList() : input.KeySliceIndices().ToList();
        DicomResultWriter.Write(input with { Slices = wanted.Select(i => Picture(p, i)).ToList() }, outDir, mode);
    }

    public void Complete(PredictionSummary summary)
    {
    }

    private static List<int> TopSlices(ScanPrediction p, int c) =>
        Enumerable.Range(0, p.Scan.Slices.Count)
            .OrderByDescending(i => p.Probabilities[i * HemorrhageClasses.Count + c]).ThenBy(i => i)
            .Take(TopSlicesPerClass).Order().ToList();

    /// <summary>A slice's picture: its HU and the map of its most probable flagged class on the absolute scale (blank when none).</summary>
    private static SliceImage Picture(ScanPrediction p, int slice)
    {
        var hu = p.SaliencySlices.TryGetValue(slice, out var kept) ? kept : p.Scan.Slices[slice].LoadHu();
        var map = p.Saliency.Where(m => m.SliceIndex == slice && p.Flags[m.ClassIndex])
            .OrderByDescending(m => m.Probability).FirstOrDefault();
        return map is null
            ? new SliceImage(slice, hu, new float[1], 1, 1)
            : new SliceImage(slice, hu, AbsoluteSaliency.Of(p, map), map.Width, map.Height, HemorrhageClasses.Names[map.ClassIndex]);
    }
}
