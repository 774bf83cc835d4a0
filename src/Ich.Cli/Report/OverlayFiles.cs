using Ich.Core;
using Ich.Inference.Pipeline;

namespace Ich.Cli.Report;

/// <summary>One written overlay: which scan/slice/class, its path relative to the output folder and its PNG bytes.</summary>
internal sealed record OverlayFile(string ScanId, SaliencyMap Map, string RelativePath, byte[] Png);

/// <summary>Writes <c>gradcam/&lt;scan&gt;/slice&lt;index&gt;_&lt;class&gt;.png</c> for every saliency map of every succeeded scan.</summary>
internal static class OverlayFiles
{
    public static List<OverlayFile> Write(string outDir, IReadOnlyList<ScanOutcome> outcomes)
    {
        var written = new List<OverlayFile>();
        var usedFolders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in outcomes.Where(o => o.Succeeded && o.Prediction!.Saliency.Count > 0))
        {
            var p = o.Prediction!;
            var folder = SafeName(p.Scan.ScanId);
            for (var k = 2; !usedFolders.Add(folder); k++) folder = $"{SafeName(p.Scan.ScanId)}_{k}";
            foreach (var map in p.Saliency)
            {
                var png = OverlayImage.Png(p.SaliencySlices[map.SliceIndex], map.Values, map.ClassIndex, map.Probability);
                var rel = Path.Combine("gradcam", folder, $"slice{map.SliceIndex:D3}_{HemorrhageClasses.Names[map.ClassIndex]}.png");
                var full = Path.Combine(outDir, rel);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, png);
                written.Add(new OverlayFile(p.Scan.ScanId, map, rel, png));
            }
        }
        return written;
    }

    /// <summary>A file-system-safe folder name for a scan ID (UIDs and patient numbers pass unchanged).</summary>
    public static string SafeName(string id)
    {
        var chars = id.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray();
        var name = new string(chars).Trim('.');
        return name.Length == 0 ? "scan" : name;
    }
}
