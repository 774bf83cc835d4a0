using System.Globalization;

namespace Ich.Cli.Inspect;

/// <summary>The human-readable form of <c>ich inspect</c>: one aligned line per file.
/// The path is never shortened (a user must be able to find the file); long paths push the row right.</summary>
public static class FileInspectionTable
{
    public static string Header =>
        $"{"path",-60} {"transfer syntax",-34} {"size",-15} {"bits",-6} {"photometric",-11} {"slope/intercept",-17} pixelSha256 / error";

    public static string Line(FileInspectionResult r)
    {
        var size = r.Rows is null ? "-" : $"{r.Rows}x{r.Columns}x{r.Frames ?? 1}";
        var bits = r.BitsAllocated is null ? "-" : $"{r.BitsStored}/{r.BitsAllocated}{(r.Signed == true ? "s" : "")}";
        var rescale = r.RescaleSlope is null ? (r.ModalityLut == "lookupTable" ? "LUT" : "-")
            : string.Create(CultureInfo.InvariantCulture, $"{r.RescaleSlope:0.####}/{r.RescaleIntercept:0.####}");
        var last = r.Error is not null ? $"ERROR ({r.ErrorKind}): {r.Error}" : r.PixelSha256 ?? "(no pixel data)";
        return $"{r.Path,-60} {Shorten(r.TransferSyntaxName ?? "-", 34),-34} {size,-15} {bits,-6} {r.Photometric ?? "-",-11} {rescale,-17} {last}";
    }

    private static string Shorten(string s, int width) => s.Length <= width ? s : "…" + s[^(width - 1)..];
}
