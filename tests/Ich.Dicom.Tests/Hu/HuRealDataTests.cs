using System.Globalization;
using Ich.Core.Text;
using Ich.Dicom.Hu;
using Ich.Dicom.Pixels;
using Ich.Dicom.Reading;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Hu;

/// <summary>HU conversion of real head-CT and RSNA files against dicom_manifest.csv (pydicom, cross-checked with GDCM/DCMTK).</summary>
public class HuRealDataTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    public static TheoryData<string> SeriesFiles()
    {
        // Listed without touching the corpus so the theory has stable case names; absent files skip.
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "headct", "ich-labelled" }) data.Add(folder);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(SeriesFiles))]
    public void RescaleOnly_EveryRealSeriesFile_MatchesManifestHuStatistics(string area)
    {
        var manifest = CsvTable.Read(RepoPaths.RequireShared("realdata/dicom_manifest.csv"));
        var rows = manifest.Rows.Where(r => r[manifest.Require("file")].StartsWith(area + "/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);

        foreach (var r in rows)
        {
            var file = r[manifest.Require("file")];
            var image = HuSliceLoader.Load(Path.Combine(RepoPaths.Shared, "realdata", file), HuOptions.RescaleOnly);
            var px = image.Pixels;
            Assert.True(D(r[manifest.Require("hu_min")]) == px.Min(), $"{file}: min {px.Min()}");
            Assert.True(D(r[manifest.Require("hu_max")]) == px.Max(), $"{file}: max {px.Max()}");
            var mean = px.Sum(v => (double)v) / px.Length;
            Assert.True(Math.Abs(D(r[manifest.Require("hu_mean")]) - mean) < 1e-5, $"{file}: mean {mean}");
            Assert.Equal(int.Parse(r[manifest.Require("cols")], CultureInfo.InvariantCulture), image.Width);
            Assert.Equal(int.Parse(r[manifest.Require("rows")], CultureInfo.InvariantCulture), image.Height);
        }
    }

    [SkippableFact]
    public void Default_RealRsnaFiles_FixNeverAppliesAndOnlyAirPixelsChange()
    {
        var files = Directory.EnumerateFiles(RepoPaths.RequireShared("realdata/ich-labelled/rsna2019_banutu98_IHD"), "*.dcm")
            .Concat(Directory.EnumerateFiles(RepoPaths.RequireShared("realdata/headct/rsna2019_okotaku_stage2_series"), "*.dcm"))
            .ToList();
        var twelveBit = 0;

        foreach (var path in files)
        {
            var pixels = DicomPixelData.Create(DicomFileReader.Read(path));
            var p = HuParameters.FromPixelData(pixels, DicomFileReader.Read(path, DicomReadOptions.Header).Dataset);
            if (p.BitsStored == 12) twelveBit++;
            var stored = pixels.GetStoredFrame(0);
            var plain = HuConverter.Convert(stored, p, HuOptions.RescaleOnly, out _);
            var hu = HuConverter.Convert(stored, p, HuOptions.Default, out var info);

            Assert.False(Rsna12BitInterceptFix.AppliesTo(p), path);
            Assert.False(info.InterceptFixApplied, path);
            for (var i = 0; i < hu.Length; i++)
                if (hu[i] != plain[i])
                    Assert.True(hu[i] == HuOptions.Air && (plain[i] < -1100 || stored[i] == p.PaddingValue), $"{path} pixel {i}: {plain[i]} → {hu[i]}");
        }
        Assert.True(twelveBit >= 30, $"expected the 12-bit unsigned RSNA files among the inputs, found {twelveBit}");
    }

    [SkippableFact]
    public void Load_GeSliceWithPaddingValue_PaddingBecomesAir()
    {
        var path = Path.Combine(RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_GE"), "01.dcm");

        var (image, info) = HuSliceLoader.LoadWithInfo(path);
        var plain = HuSliceLoader.Load(path, HuOptions.RescaleOnly).Pixels;

        // PixelPaddingValue −1500 with intercept 0: exactly the −1500 pixels become air, nothing else changes.
        var padding = Enumerable.Range(0, plain.Length).Where(i => plain[i] == -1500f).ToList();
        Assert.NotEmpty(padding);
        Assert.Equal(padding.Count, info.PaddingPixels);
        Assert.All(padding, i => Assert.Equal(HuOptions.Air, image.Pixels[i]));
        Assert.Equal(0, info.OutsideFovPixels);
        Assert.True(image.Pixels.Min() >= -1100f);
        Assert.Equal(0.4882812, image.PixelSpacingMm!.Value, 1e-7);
    }
}
