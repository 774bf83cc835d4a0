using Ich.Dicom.Hu;
using Ich.Dicom.Series;
using Ich.Imaging;

namespace Ich.Cli.Inspect;

/// <summary>
/// A contact sheet of one series in the brain window (40/80), slices lowest first, left to right then
/// top to bottom; a slice that cannot be decoded stays black and is reported.
/// </summary>
public static class SeriesInspectionMontage
{
    /// <summary>Writes the montage; returns the per-file decode problems (empty when every slice decoded).</summary>
    /// <param name="series">The series to draw (at least one slice).</param>
    /// <param name="path">PNG file to write (its folder is created).</param>
    /// <param name="cancel">Stops between slices.</param>
    public static IReadOnlyList<ExcludedFile> Write(SeriesReport series, string path, CancellationToken cancel)
    {
        var n = series.Slices.Count;
        var tile = n <= 36 ? 256 : 128;
        var columns = (int)Math.Ceiling(Math.Sqrt(n));
        var rows = (n + columns - 1) / columns;
        var width = columns * tile;
        var sheet = new byte[width * rows * tile];
        var problems = new List<ExcludedFile>();
        var window = HuWindow.Brain;

        for (var i = 0; i < n; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var header = series.Slices[i].Header;
            float[] hu;
            int w, h;
            try
            {
                var image = ScanRecordBuilder.LoadSlice(header, HuOptions.Default);
                (hu, w, h) = (image.Pixels, image.Width, image.Height);
            }
            catch (Ich.Core.Errors.IchException e)
            {
                problems.Add(new ExcludedFile(header.Path, e.Reason));
                continue;
            }
            // Fit the slice into the tile, keeping its aspect ratio, centred.
            var scale = (double)tile / Math.Max(w, h);
            var outW = Math.Max(1, (int)Math.Round(w * scale));
            var outH = Math.Max(1, (int)Math.Round(h * scale));
            var small = Resample.Bilinear(hu, w, h, outW, outH);
            var x0 = (i % columns) * tile + (tile - outW) / 2;
            var y0 = (i / columns) * tile + (tile - outH) / 2;
            for (var y = 0; y < outH; y++)
            for (var x = 0; x < outW; x++)
                sheet[(y0 + y) * width + x0 + x] = (byte)Math.Round(window.Apply(small[y * outW + x]) * 255f);
        }
        PngFile.WriteGray(path, sheet, width, rows * tile);
        return problems;
    }

    /// <summary>A file name for a series' montage: study and series UIDs, characters outside [A-Za-z0-9._-] replaced.</summary>
    public static string FileName(SeriesReport s) =>
        $"{Safe(s.StudyInstanceUid)}__{Safe(s.SeriesInstanceUid)}.png";

    private static string Safe(string uid) =>
        new(uid.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
}
