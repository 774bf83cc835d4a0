using Ich.Application.Prediction;
using Ich.Core;
using Ich.Inference.Pipeline;

namespace Ich.Application.Writers;

/// <summary>
/// Writes <c>gradcam/&lt;scan&gt;/slice&lt;index&gt;_&lt;class&gt;.png</c> (<see cref="OverlayImage"/>) for every
/// Grad-CAM map of every predicted scan, as the scan finishes. It remembers only the current scan's file
/// names (<see cref="CurrentScanFiles"/>, for the report) and the folder names used so far (to keep them unique).
/// </summary>
public sealed class OverlayWriter(string outDir) : IPredictionOutputWriter
{
    public const string Folder = "gradcam";
    private readonly HashSet<string> usedFolders = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Slice, int Class), string> current = [];
    private int currentIndex = -1;

    /// <summary>The overlays written for the scan of run index <paramref name="scanIndex"/>, when it is the latest one: (slice, class) → path relative to the output folder.</summary>
    public IReadOnlyDictionary<(int Slice, int Class), string> CurrentScanFiles(int scanIndex) =>
        scanIndex == currentIndex ? current : new Dictionary<(int Slice, int Class), string>();

    public void Begin(PredictionRunInfo run) { }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        current.Clear();
        currentIndex = scan.Index;
        if (scan.Prediction is not { Saliency.Count: > 0 } p) return;
        var folder = SafeName(p.Scan.ScanId);
        for (var k = 2; !usedFolders.Add(folder); k++) folder = $"{SafeName(p.Scan.ScanId)}_{k}";
        foreach (var map in p.Saliency)
        {
            var rel = Path.Combine(Folder, folder, $"slice{map.SliceIndex:D3}_{HemorrhageClasses.Names[map.ClassIndex]}.png");
            var full = Path.Combine(outDir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, Png(p, map));
            current[(map.SliceIndex, map.ClassIndex)] = rel;
        }
    }

    public void Complete(PredictionSummary summary) => current.Clear();

    /// <summary>The overlay PNG of one map of a prediction.</summary>
    public static byte[] Png(ScanPrediction prediction, SaliencyMap map)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(map);
        return OverlayImage.Png(prediction.SaliencySlices[map.SliceIndex], map.Values, map.ClassIndex, map.Probability);
    }

    /// <summary>A file-system-safe folder name for a scan ID (UIDs and patient numbers pass unchanged).</summary>
    public static string SafeName(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var chars = id.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        var name = new string(chars).Trim('.');
        return name.Length == 0 ? "scan" : name;
    }
}
