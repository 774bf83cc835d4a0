using Ich.Application.Prediction;
using Ich.Imaging.Overlays;

namespace Ich.Application.Writers;

/// <summary>
/// <c>ich predict --saliency-maps</c>: every Grad-CAM map as a 16-bit grey PNG in the source slice's pixel grid,
/// 0–65535 = 0–1 on the absolute scale of <see cref="AbsoluteSaliency"/>, named <c>&lt;slice_id&gt;_&lt;class&gt;.png</c>
/// under <c>saliency/&lt;scan_id&gt;/</c>, for other tools to read.
/// </summary>
public sealed class SaliencyMapsWriter(string outDir) : IPredictionOutputWriter
{
    public void Begin(PredictionRunInfo run)
    {
    }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        if (scan.Prediction is not { } p || p.Saliency.Count == 0) return;
        SaliencyMapFiles.Write(outDir, scan.ScanId, p.Saliency.Select(m =>
            new Ich.Imaging.Overlays.SaliencyMap(p.Scan.Slices[m.SliceIndex].SliceId, m.ClassIndex, m.Width, m.Height, AbsoluteSaliency.Of(p, m))));
    }

    public void Complete(PredictionSummary summary)
    {
    }
}
