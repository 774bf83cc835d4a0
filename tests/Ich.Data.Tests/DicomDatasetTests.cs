using Ich.Core.Text;
using Ich.Data.Catalog;
using Ich.TestKit;

namespace Ich.Data.Tests;

public class DicomDatasetTests
{
    [SkippableFact]
    public void Open_DicomFolder_PhilipsSeries_OrderedAsSeriesReference()
    {
        var folder = RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_Philips_S2010");
        var reference = CsvTable.Read(Path.Combine(RepoPaths.Shared, "realdata/headct/series_reference.csv"));
        int Col(string n) => reference.Require(n);
        var expected = reference.Rows.Where(r => r[Col("series_folder")] == "headct/dcm_qa_ct_Philips_S2010")
            .OrderBy(r => int.Parse(r[Col("sorted_index")])).Select(r => r[Col("sop_instance_uid")]).ToList();
        var load = DatasetCatalog.Open(DatasetKind.Dicom, folder);
        var scan = Assert.Single(load.Scans);
        Assert.Equal("dicom", scan.Dataset);
        Assert.Equal(expected, scan.Slices.Select(s => s.SliceId));
        var hu = scan.Slices[14].LoadHu();
        Assert.Equal(512, hu.Width);
        Assert.Contains(load.Report.Skipped, i => i.Path!.EndsWith("SOURCES.md")); // not DICOM: reported, not fatal
    }

    [SkippableFact]
    public void Open_Rsna_RealSeriesWithLongLabels_JoinsBySopAndSkipsCorruptFile()
    {
        var source = RepoPaths.RequireShared("realdata/headct/rsna2019_okotaku_stage2_series");
        using var t = new TempFolder();
        var folder = Path.Combine(t.Path, "stage_2_train");
        Directory.CreateDirectory(folder);
        var dcm = Directory.GetFiles(source, "ID_*.dcm").Order(StringComparer.Ordinal).ToList();
        foreach (var f in dcm) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        File.WriteAllBytes(Path.Combine(folder, "ID_6431af929.dcm"), File.ReadAllBytes(dcm[0])[..1000]);
        // Invented labels (this is a stage-2 test series; the test checks the join, not the truth):
        // the first file in name order is positive for subdural, the rest negative.
        var ids = dcm.Select(Path.GetFileNameWithoutExtension).ToList();
        var rows = new List<string> { "ID,Label" };
        foreach (var (id, i) in ids.Select((id, i) => (id!, i)))
            foreach (var c in new[] { "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural", "any" })
                rows.Add($"{id}_{c},{(i == 0 && c is "subdural" or "any" ? 1 : 0)}");
        File.WriteAllLines(Path.Combine(t.Path, "stage_2_train.csv"), rows); // beside the folder: found by default

        var load = DatasetCatalog.Open(DatasetKind.Rsna, folder);
        var scan = Assert.Single(load.Scans);
        Assert.Equal("rsna", scan.Dataset);
        Assert.Equal("ID_1f6d1e8aeb", scan.ScanId);     // StudyInstanceUID (SOURCES.md of the series)
        Assert.Equal("ID_52c1ab5a", scan.PatientId);
        Assert.Equal(32, scan.Slices.Count);
        Assert.All(scan.Slices, s => Assert.NotNull(s.Labels));
        var positive = scan.Slices.Single(s => s.Labels![0] == 1);
        Assert.Equal(ids[0], positive.SliceId);
        Assert.Equal([1f, 0, 0, 0, 0, 1], positive.Labels!);
        Assert.Contains(load.Report.Skipped, i => i.Item == "ID_6431af929" && i.Reason.Contains("not read"));
        // Positions increase (lowest first), spacing ≈ 5.1 mm (SOURCES.md: alternating 5.097 / 5.103).
        Assert.All(scan.SliceSpacingsMm(), dz => Assert.InRange(dz, 5.0, 5.2));
    }

    [SkippableFact]
    public void Open_Rsna_RealdataWideLabels_TwentySingleSliceStudies()
    {
        var folder = RepoPaths.RequireShared("realdata/ich-labelled/rsna2019_banutu98_IHD");
        var load = DatasetCatalog.Open(DatasetKind.Rsna, folder); // labels.csv inside the folder
        Assert.Equal(20, load.Scans.Count);
        Assert.Equal(10, load.Scans.Count(s => s.Slices[0].Labels is not null));
        Assert.All(load.Scans, s => Assert.Single(s.Slices));
        var hu = load.Scans[0].Slices[0].LoadHu();
        Assert.True(hu.Width > 0);
    }

    [SkippableFact]
    public void Open_Cq500_RealSeriesInCq500Layout_GetsMajorityReads()
    {
        var source = RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_Philips_S2010");
        using var t = new TempFolder();
        var series = Path.Combine(t.Path, "qct03", "CQ500CT3 CQ500CT3", "Unknown Study", "CT Plain");
        Directory.CreateDirectory(series);
        foreach (var f in Directory.GetFiles(source, "*.dcm")) File.Copy(f, Path.Combine(series, Path.GetFileName(f)));
        var header = File.ReadLines(Path.Combine(RepoPaths.Fixtures, "data", "cq500", "reads.csv")).First();
        var cols = header.Split(',');
        string Row(string name, params string[] positives) =>
            string.Join(",", cols.Select(c => c == "name" ? name : c == "Category" ? "B1" : positives.Contains(c) ? "1" : "0"));
        File.WriteAllLines(Path.Combine(t.Path, "reads.csv"),
            [header, Row("CQ500-CT-3", "R1:ICH", "R2:ICH", "R1:SAH", "R3:SAH", "R2:IVH"), Row("CQ500-CT-9")]);
        var load = DatasetCatalog.Open(DatasetKind.Cq500, t.Path);
        var scan = Assert.Single(load.Scans);
        Assert.Equal(("cq500", "CQ500-CT-3", "CQ500-CT-3"), (scan.Dataset, scan.PatientId, scan.ScanId));
        Assert.Equal([1f, 0, 0, 0, 1, 0], scan.ScanLabels!);
        Assert.Equal(28, scan.Slices.Count);
        Assert.All(scan.Slices, s => Assert.Null(s.Labels));
        Assert.Contains(load.Report.Skipped, i => i.Item == "CQ500-CT-9" && i.Reason.Contains("without a study folder") && i.Line == 3);
    }

    [Fact]
    public void Open_Cq500_PlaceholderFixture_ReportsEveryStudy()
    {
        var load = DatasetCatalog.Open(DatasetKind.Cq500, Path.Combine(RepoPaths.Fixtures, "data", "cq500"));
        Assert.Empty(load.Scans);
        var text = load.Report.ToString();
        Assert.Contains("[CQ500-CT-40]: reads row without a study folder", text);
        Assert.Contains("[CQ500-CT-0]: no usable series", text);
        Assert.Contains("[CQ500-CT-12]: no usable series", text);
        Assert.Contains("CT000000.dcm", text); // the placeholder files are reported as unreadable
    }

    [Fact]
    public void Open_RsnaWithoutLabelFile_ExplainsWhereItLooked()
    {
        using var t = new TempFolder();
        var folder = Path.Combine(t.Path, "imgs");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<Ich.Core.Errors.ConfigException>(() => DatasetCatalog.Open(DatasetKind.Rsna, folder));
        Assert.Contains("stage_2_train.csv", e.Message);
    }
}

public class NiftiVersusDicomTests
{
    [SkippableTheory]
    [InlineData("dcm_qa_ct_Philips_S2010", "Philips_head_phantom_201.nii.gz")]
    [InlineData("dcm_qa_ct_GE", "GE_head_2.nii.gz")]
    public void NiftiFromDcm2niix_ShowsTheSameAxialImagesAsTheDicomSeries(string series, string nifti)
    {
        // dcm2niix (independent converter) wrote these NIfTI files from the DICOM series: our NIfTI
        // display convention (row 0 anterior, column 0 patient right, lowest slice first) must give the
        // same pixels as our DICOM path, slice for slice. Padding (GE: −1500) is compared only where
        // both are tissue/air values above −1024 HU.
        var dicomDir = RepoPaths.RequireShared($"realdata/headct/{series}");
        var niftiPath = RepoPaths.RequireShared($"realdata/nifti/dcm2niix_from_headct/{nifti}");
        var dicom = Assert.Single(DatasetCatalog.Open(DatasetKind.Dicom, dicomDir).Scans);
        var volume = Assert.Single(DatasetCatalog.Open(DatasetKind.Nifti, niftiPath).Scans);
        Assert.Equal(dicom.Slices.Count, volume.Slices.Count);
        foreach (var k in new[] { 0, dicom.Slices.Count / 2, dicom.Slices.Count - 1 })
        {
            var a = dicom.Slices[k].LoadHu();
            var b = volume.Slices[k].LoadHu();
            Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
            var compared = 0;
            for (var i = 0; i < a.Pixels.Length; i++)
            {
                if (a.Pixels[i] < -1024 || b.Pixels[i] < -1024) continue;
                Assert.True(Math.Abs(a.Pixels[i] - b.Pixels[i]) < 0.5f, $"{series} slice {k} pixel {i}: DICOM {a.Pixels[i]}, NIfTI {b.Pixels[i]}");
                compared++;
            }
            Assert.True(compared > a.Pixels.Length / 10, $"only {compared} pixels compared");
        }
    }
}
