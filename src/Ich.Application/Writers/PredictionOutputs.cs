using Ich.Application.Prediction;

namespace Ich.Application.Writers;

/// <summary>The writer lists of the standard output folder of <c>ich predict</c>.</summary>
public static class PredictionOutputs
{
    /// <summary>
    /// predictions.csv, submission.csv, scans.csv, gradcam/ overlays, viewer/ pages and report.html in
    /// <paramref name="outDir"/>; more writers (DICOM results, raw saliency maps, JSON Lines) can be appended.
    /// </summary>
    public static List<IPredictionOutputWriter> Standard(string outDir)
    {
        var overlays = new OverlayWriter(outDir);
        return [new CsvOutputWriter(outDir), overlays, new ViewerWriter(outDir), new HtmlReportWriter(outDir, overlays)];
    }
}
