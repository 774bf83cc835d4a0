using Ich.Application.Prediction;
using Ich.Core;
using Ich.Inference.Pipeline;

namespace Ich.Application.Writers;

/// <summary>
/// Writes <c>gradcam/&lt;scan&gt;/slice&lt;index&gt;_&lt;class&gt;.png</c> (<see cref="OverlayImage"/>) for every
/// Grad-CAM map of every predicted scan, as the scan finishes, and <c>slice&lt;index&gt;_predicted_mask.png</c> for every
/// predicted mask (models with segmentation decoders). It remembers only the current scan's file names
/// (<see cref="CurrentScanFiles"/>, <see cref="CurrentScanMaskFiles"/>, for the report) and the folder names used so far (to keep them unique).
/// </summary>
public sealed class OverlayWriter(string outDir) : IPredictionOutputWriter
{
    public const string Folder = "gradcam";
    private readonly HashSet<string> usedFolders = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Slice, int Class), string> current = [];
    private readonly Dictionary<int, string> currentMasks = [];
    private int currentIndex = -1;

    /// <summary>The overlays written for the scan of run index <paramref name="scanIndex"/>, when it is the latest one: (slice, class) → path relative to the output folder.</summary>
    public IReadOnlyDictionary<(int Slice, int Class), string> CurrentScanFiles(int scanIndex) =>
        scanIndex == currentIndex ? current : new Dictionary<(int Slice, int Class), string>();

    /// <summary>The predicted-mask overlays written for the scan of run index <paramref name="scanIndex"/>, when it is the latest one: slice → relative path.</summary>
    public IReadOnlyDictionary<int, string> CurrentScanMaskFiles(int scanIndex) =>
        scanIndex == currentIndex ? currentMasks : new Dictionary<int, string>();

    public void Begin(PredictionRunInfo run) { }

    public void WriteScan(ScanResult scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        current.Clear();
        currentMasks.Clear();
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
        foreach (var mask in p.PredictedMasks.Values.OrderBy(m => m.SliceIndex))
        {
            var rel = Path.Combine(Folder, folder, $"slice{mask.SliceIndex:D3}_predicted_mask.png");
            var full = Path.Combine(outDir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, MaskPng(p, mask));
            currentMasks[mask.SliceIndex] = rel;
        }
    }

    public void Complete(PredictionSummary summary)
    {
        current.Clear();
        currentMasks.Clear();
    }

    /// <summary>The overlay PNG of one map of a prediction.</summary>
    public static byte[] Png(ScanPrediction prediction, SaliencyMap map)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(map);
        return OverlayImage.Png(prediction.SaliencySlices[map.SliceIndex], map.Values, map.ClassIndex, map.Probability);
    }

    /// <summary>The overlay PNG of one predicted mask of a prediction (titled "pred. mask", with the slice's probability of any hemorrhage).</summary>
    public static byte[] MaskPng(ScanPrediction prediction, PredictedMask mask)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(mask);
        return OverlayImage.MaskPng(prediction.SaliencySlices[mask.SliceIndex], mask.Values, prediction.Probabilities[mask.SliceIndex * HemorrhageClasses.Count]);
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
