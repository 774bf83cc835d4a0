using Ich.Core.Scans;

namespace Ich.Viewer.Tests;

/// <summary>Small hand-made studies for the unit tests (no browser).</summary>
internal static class TinyStudy
{
    public static ViewerStudy Make(int slices = 3, string scanId = "scan-1", int size = 4, bool saliency = true) => new()
    {
        ScanId = scanId,
        ModelName = "test-model",
        ModelVersion = "1.0",
        OperatingPoint = "test thresholds",
        FlagThresholds = [0.5, 0.4, 0.4, null, 0.4, 0.4],
        FlaggedClasses = ["any", "subdural"],
        Orientation = PatientOrientation.Axial,
        Slices = Enumerable.Range(0, slices).Select(i => new ViewerSlice
        {
            SliceId = $"1.2.3.{i}",
            ZMm = 5.0 * i,
            Hu = new HuImage(size, size, Enumerable.Range(0, size * size).Select(k => (float)(k * 10 - 50)).ToArray(), 0.5),
            Probabilities = [0.1 * (i + 1), 0.01, 0.02, 0.03, 0.04, 0.05],
            Saliency = saliency ? [new float[size * size], null, null, null, null, null] : null,
        }).ToArray(),
    };
}
