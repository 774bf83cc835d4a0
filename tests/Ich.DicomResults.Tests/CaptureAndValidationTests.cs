using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;
using Ich.DicomResults.Input;
using Ich.DicomResults.Rendering;
using Ich.Imaging;
using Ich.Imaging.Overlays;
using Ich.TestKit;

namespace Ich.DicomResults.Tests;

/// <summary>The burned-in picture (warning text, heat colour, legend) and the refusal of bad input.</summary>
public sealed class CaptureAndValidationTests : IDisposable
{
    private static readonly string[] ReportOnly = ["sr.dcm"];
    private readonly string _dir = RepoPaths.NewTempDir("ich-dicomres");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (byte[] Rgb, int Width, int Height) ReadCapture(string path)
    {
        var ds = DicomFileReader.Read(path).Dataset;
        return (ds.Get(DicomTags.PixelData)!.Value.ToArray(), ds.GetInt(DicomTags.Columns)!.Value, ds.GetInt(DicomTags.Rows)!.Value);
    }

    [Fact]
    public void Capture_BurnsInWarningHeatAndLegend_OverTheBrainWindow()
    {
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var set = DicomResultWriter.Write(source.ResultInput(), Path.Combine(_dir, "out"));
        var capture = set.Captures.First(c => c.SourceSliceIndex == 2);
        var (rgb, w, h) = ReadCapture(capture.Path);
        Assert.Equal(w * h * 3, rgb.Length);
        // 64-pixel slice enlarged 6x (to >= 384) plus a side panel of max(88, 384/5) = 88 columns.
        Assert.Equal((384 + 88, 384), (w, h));
        (byte R, byte G, byte B) At(int x, int y) => (rgb[3 * (y * w + x)], rgb[3 * (y * w + x) + 1], rgb[3 * (y * w + x) + 2]);

        // Warning band: black with yellow (255, 230, 0) text strokes, only inside the band.
        var banner = CaptureRenderer.BannerHeight(h);
        var yellow = 0;
        for (var y = 0; y < banner; y++)
        for (var x = 0; x < 384; x++)
        {
            var (r, g, b) = At(x, y);
            if (r > 200 && g > 170 && b < 80) yellow++;
        }
        Assert.True(yellow > 150, $"only {yellow} yellow text pixels in the warning band");

        // Brain at 35 HU in window 40/80 is grey (35 - 0) / 80 = 0.4375 -> 112 where saliency is ~0 (far from the bleed).
        Assert.Equal((112, 112, 112), ((int)At(32 * 6, 50 * 6).R, (int)At(32 * 6, 50 * 6).G, (int)At(32 * 6, 50 * 6).B));
        // At the saliency peak (map 16x16 peak 0.95 at (10.5, 6) -> slice (42, 24)) the pixel is not grey: red dominates.
        var (pr, pg, pb) = At(42 * 6 + 3, 24 * 6 + 3);
        Assert.True(pr > pb + 60 && pr > 150, $"peak pixel ({pr},{pg},{pb}) does not show the hot end of jet");

        // Legend: Ich.Imaging's LegendStrip colour for heat 0.5 (green-ish) appears in the panel.
        var (lr, lg, lb) = ColorMap.Jet(0.5f);
        var found = false;
        for (var y = 0; y < h && !found; y++)
        for (var x = 384; x < w && !found; x++)
            found = At(x, y) == (lr, lg, lb);
        Assert.True(found, "the legend's mid colour is missing from the panel");
    }

    [Fact]
    public void Captures_UseTheSameOverlayAsIchImaging()
    {
        // The image area (below the banner, away from captions) equals HeatmapOverlay's composition, enlarged.
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var input = source.ResultInput();
        var set = DicomResultWriter.Write(input, Path.Combine(_dir, "out"));
        var (rgb, w, _) = ReadCapture(set.Captures.First(c => c.SourceSliceIndex == 3).Path);
        var slice = input.Slices[3];
        var expected = HeatmapOverlay.ComposeOnSlice(slice.Hu, slice.Saliency, 16, 16, new OverlayOptions(0.65f, 0.2f), HuWindow.Brain);
        var mismatches = 0;
        for (var y = 10; y < 50; y++)
        for (var x = 0; x < 64; x++)
        for (var c = 0; c < 3; c++)
            if (rgb[3 * ((y * 6 + 2) * w + x * 6 + 2) + c] != expected[4 * (y * 64 + x) + c]) mismatches++;
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void NoClassPresent_WritesReportOnly_InKeysMode()
    {
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var input = source.ResultInput();
        input = input with { Findings = input.Findings.Select(f => f with { Present = false }).ToArray() };
        var set = DicomResultWriter.Write(input, Path.Combine(_dir, "out"));
        Assert.Single(set.Files);
        Assert.Null(set.KeyObjects);
        Assert.Equal(ReportOnly, Directory.GetFiles(set.Folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Rerun_ReplacesThePreviousResultSetWhole()
    {
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var out_ = Path.Combine(_dir, "out");
        DicomResultWriter.Write(source.ResultInput(), out_, CaptureMode.Full);
        var second = DicomResultWriter.Write(source.ResultInput(), out_, CaptureMode.Keys);
        Assert.Equal(second.Files.Select(f => f.Path).Order(), Directory.GetFiles(second.Folder).Order());
        Assert.Equal(Path.Combine(out_, "dicom", source.StudyUid), second.Folder);
        Assert.Single(Directory.GetDirectories(Path.Combine(out_, "dicom")));
    }

    [Fact]
    public void InvalidStudyUid_IsRefused_BeforeItNamesAPath()
    {
        var ds = new DicomDataset();
        ds.Set(Ich.Dicom.Writing.DicomElements.Text(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2/../../etc"));
        var e = Assert.Throws<ResultInputException>(() => SourceStudyIdentity.FromDataset(ds, "evil.dcm"));
        Assert.Contains("not a valid UID", e.Message, StringComparison.Ordinal);
        Assert.Equal("evil.dcm", e.Path);
        Assert.Throws<ResultInputException>(() => DicomResultWriter.StudyFolder(_dir, ".."));
    }

    [Fact]
    public void BadFields_AreRefused_WithTheFieldNamed()
    {
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var good = source.ResultInput();
        var out_ = Path.Combine(_dir, "out");
        void Refused(StudyResultInput input, string expected, CaptureMode mode = CaptureMode.Keys)
        {
            var e = Assert.Throws<ResultInputException>(() => DicomResultWriter.Write(input, out_, mode));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        Refused(good with { Findings = good.Findings.Skip(1).ToArray() }, "findings cover 5 classes");
        Refused(good with { Findings = [.. good.Findings.Skip(1), good.Findings[0] with { ClassName = "stroke" }] }, "'stroke' is not a class");
        Refused(good with { Findings = [good.Findings[0] with { Probability = 1.5 }, .. good.Findings.Skip(1)] }, "probability 1.5 is not in [0, 1]");
        Refused(good with { Findings = [good.Findings[0] with { TopSliceIndices = [6] }, .. good.Findings.Skip(1)] }, "slice index 6 is outside the series");
        var hot = good.Slices[2] with { Saliency = good.Slices[2].Saliency.Select(v => v * 3).ToArray() };
        Refused(good with { Slices = [.. good.Slices.Where(s => s.SliceIndex != 2), hot] }, "outside the absolute 0..1 scale");
        Refused(good with { Slices = good.Slices.Where(s => s.SliceIndex != 3).ToArray() }, "slice 3 needs a capture (Keys mode)");
        Refused(good with { Slices = good.Slices.Where(s => s.SliceIndex != 0).ToArray() }, "slice 0 needs a capture (Full mode)", CaptureMode.Full);
        Refused(good with { Algorithm = good.Algorithm with { Name = "mödel" } }, "Algorithm.Name has a character outside printable ASCII");
        Assert.False(Directory.Exists(Path.Combine(out_, "dicom")));
    }
}
