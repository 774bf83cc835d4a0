using System.Globalization;
using Ich.Core.Text;
using Ich.Dicom.Series;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Series;

/// <summary>Series assembly on real head-CT series against references computed independently (pydicom, series_reference.csv).</summary>
public class SeriesRealDataTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static SeriesAssembly AssembleFolder(string folder) =>
        SeriesAssembler.Assemble(Directory.EnumerateFiles(folder));

    [SkippableTheory]
    [InlineData("headct/dcm_qa_ct_GE")]
    [InlineData("headct/dcm_qa_ct_Philips_S2010")]
    [InlineData("headct/pydicom_dicomdirtests_CT2")]
    public void Assemble_SeriesReferenceFolder_ReproducesOrderPositionsStepsAndTilt(string seriesFolder)
    {
        var reference = CsvTable.Read(RepoPaths.RequireShared("realdata/headct/series_reference.csv"));
        var folder = RepoPaths.RequireShared("realdata/" + seriesFolder);
        var rows = reference.Rows.Where(r => r[reference.Require("series_folder")] == seriesFolder)
            .OrderBy(r => int.Parse(r[reference.Require("sorted_index")], CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(rows);

        var assembly = AssembleFolder(folder);

        // Only the folder's NOTES.tsv / SOURCES.md are unlisted (not DICOM).
        Assert.All(assembly.UnlistedFiles, f => Assert.Contains(Path.GetFileName(f.Path), new[] { "NOTES.tsv", "SOURCES.md" }));
        var series = Assert.Single(Assert.Single(assembly.Studies).Series);
        var slices = series.Slices;
        Assert.Equal(rows.Select(r => r[reference.Require("file")]), slices.Select(s => Path.GetFileName(s.Header.Path)));
        Assert.Equal(rows.Select(r => r[reference.Require("sop_instance_uid")]), slices.Select(s => s.SopInstanceUid));
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            // The reference prints 4 decimals.
            Assert.Equal(D(r[reference.Require("position_along_normal_mm")]), slices[i].PositionMm, 0.00011);
            var gap = r[reference.Require("gap_to_previous_mm")];
            if (gap.Length == 0) Assert.Null(slices[i].StepFromPreviousMm);
            else Assert.Equal(D(gap), slices[i].StepFromPreviousMm!.Value, 0.00011);
            Assert.Equal(D(r[reference.Require("slice_thickness")]), slices[i].Header.SliceThicknessMm!.Value, 1e-9);
        }
        Assert.Equal(D(rows[0][reference.Require("tilt_from_iop_deg")]), series.Geometry.ObliquityDeg!.Value, 0.0011);
        Assert.Equal(D(rows[0][reference.Require("tilt_from_iop_deg")]), series.Geometry.TiltDeg!.Value, 0.0011);
        Assert.Equal("tag", series.Geometry.ThicknessSource);
        Assert.True(series.Selected, series.Reason);
    }

    [SkippableFact]
    public void Assemble_GeSeries_TiltedNonUniformButNoGap()
    {
        var series = AssembleFolder(RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_GE")).Studies[0].Series[0];

        Assert.Empty(series.Geometry.Gaps); // 4 mm → 7 mm follows the slice thickness
        Assert.Contains(series.Problems, p => p.Code == SeriesProblemCodes.NonUniformSpacing);
        Assert.Equal(18.5, series.Geometry.GantryTiltTagDeg);
        Assert.Equal(4.0, series.Geometry.ThicknessMm); // 14 slices of 4 mm and 14 of 7 mm: tie → thinner
        Assert.DoesNotContain(series.Problems, p => p.Code == SeriesProblemCodes.TiltTagMismatch);
    }

    [SkippableFact]
    public void Assemble_Ct2Series_ReportsTheInstanceGapAsAGap()
    {
        var series = AssembleFolder(RepoPaths.RequireShared("realdata/headct/pydicom_dicomdirtests_CT2")).Studies[0].Series[0];

        var gap = Assert.Single(series.Geometry.Gaps);
        Assert.Equal(202.5, gap.StepMm, 1e-6);
    }

    [SkippableFact]
    public void Assemble_RsnaTiltedSeriesWithoutThicknessOrInstanceNumbers_OrderedAndSpacedAlongTheNormal()
    {
        var folder = RepoPaths.RequireShared("realdata/headct/rsna2019_okotaku_stage2_series");
        var reference = CsvTable.Read(Path.Combine(RepoPaths.Fixtures, "series", "rsna_okotaku_series_reference.csv"));

        var assembly = AssembleFolder(folder);

        var series = Assert.Single(Assert.Single(assembly.Studies).Series);
        var slices = series.Slices;
        Assert.Equal(reference.Rows.Select(r => r[reference.Require("sop_instance_uid")]), slices.Select(s => s.SopInstanceUid));
        for (var i = 0; i < slices.Count; i++)
        {
            var r = reference.Rows[i];
            Assert.Equal(D(r[reference.Require("position_along_normal_mm")]), slices[i].PositionMm, 2e-6);
            if (i > 0) Assert.Equal(D(r[reference.Require("step_mm")]), slices[i].StepFromPreviousMm!.Value, 2e-6);
        }
        // The table moves 5.097/5.103 mm per slice; planes tilted by 11° are 5.004/5.009 mm apart.
        var tableSteps = reference.Rows.Skip(1).Select(r => D(r[reference.Require("table_increment_mm")])).ToArray();
        Assert.All(tableSteps, t => Assert.True(Math.Abs(t - 5.0975) < 0.001 || Math.Abs(t - 5.1025) < 0.001, $"table step {t}"));
        Assert.Equal(tableSteps.Order().ElementAt(tableSteps.Length / 2), series.Geometry.TableIncrementMm!.Value, 2e-6);
        Assert.Equal(D(reference.Rows[0][reference.Require("tilt_deg")]), series.Geometry.TiltDeg!.Value, 1e-5);
        Assert.Null(series.Geometry.GantryTiltTagDeg);
        Assert.Equal("spacing", series.Geometry.ThicknessSource);
        Assert.Empty(series.Geometry.Gaps);
        Assert.All(slices, s => Assert.Null(s.Header.InstanceNumber));
        Assert.True(series.Selected, series.Reason);
    }

    [SkippableFact]
    public void Assemble_AllHeadCtFilesMixedTogether_SameOrderPerSeriesAndOneStudyEach()
    {
        var root = RepoPaths.RequireShared("realdata/headct");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepoPaths.RequireShared("realdata/ich-labelled"), "*", SearchOption.AllDirectories))
            .OrderByDescending(f => f, StringComparer.Ordinal) // reversed: order must not matter
            .ToList();

        var assembly = SeriesAssembler.Assemble(files);

        // 4 head-CT series (one study each) + the 20 RSNA single slices (their own studies).
        Assert.All(assembly.UnlistedFiles, f => Assert.Contains(Path.GetExtension(f.Path), new[] { ".md", ".tsv", ".csv" }));
        var byFolder = assembly.AllSeries.Where(s => s.Slices.Count > 1)
            .ToDictionary(s => Path.GetFileName(Path.GetDirectoryName(s.Slices[0].Header.Path))!);
        Assert.Equal(["dcm_qa_ct_GE", "dcm_qa_ct_Philips_S2010", "pydicom_dicomdirtests_CT2", "rsna2019_okotaku_stage2_series"],
            byFolder.Keys.Order(StringComparer.Ordinal));
        var alone = AssembleFolder(Path.Combine(root, "dcm_qa_ct_Philips_S2010")).Studies[0].Series[0];
        Assert.Equal(alone.Slices.Select(s => s.SopInstanceUid), byFolder["dcm_qa_ct_Philips_S2010"].Slices.Select(s => s.SopInstanceUid));
        var singles = assembly.AllSeries.Where(s => s.Slices.Count == 1).ToList();
        Assert.NotEmpty(singles);
        Assert.All(singles, s => Assert.Equal("single slice", s.IneligibleReason));
    }

    [SkippableFact]
    public void Assemble_FolderWithTruncatedAndNonDicomFiles_ReportsThemPerFileAndListsTheRest()
    {
        var source = RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_Philips_S2010");
        var dir = RepoPaths.NewTempDir("ich-series");
        try
        {
            foreach (var f in Directory.EnumerateFiles(source, "*.dcm")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var victim = Path.Combine(dir, "I150.dcm");
            var bytes = File.ReadAllBytes(victim);
            File.WriteAllBytes(victim, bytes[..200]); // cut inside the header
            File.WriteAllText(Path.Combine(dir, "readme.txt"), "not a DICOM file");

            var assembly = SeriesAssembler.Assemble(Directory.EnumerateFiles(dir));

            Assert.Equal(2, assembly.UnlistedFiles.Count);
            Assert.Contains(assembly.UnlistedFiles, f => f.Path == victim);
            var series = Assert.Single(Assert.Single(assembly.Studies).Series);
            Assert.Equal(27, series.Slices.Count);
            var gap = Assert.Single(series.Geometry.Gaps);
            Assert.Equal(10.0, gap.StepMm, 1e-4); // the missing I150 leaves a 10 mm step
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class SeriesZipTests
{
    [SkippableFact]
    public void Assemble_ZipArchiveOfASeries_OrdersEntriesAndLoadsHuFromTheArchive()
    {
        var source = RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_Philips_S2010");
        var dir = RepoPaths.NewTempDir("ich-series-zip");
        try
        {
            var zip = Path.Combine(dir, "study.zip");
            System.IO.Compression.ZipFile.CreateFromDirectory(source, zip);

            var fromZip = SeriesAssembler.Assemble([zip]).Studies.Single().SelectedSeries!;
            var fromFolder = SeriesAssembler.Assemble([source]).Studies.Single().SelectedSeries!;

            Assert.Equal(fromFolder.Slices.Select(s => s.SopInstanceUid), fromZip.Slices.Select(s => s.SopInstanceUid));
            Assert.StartsWith(zip + "!", fromZip.Slices[0].Header.Path);
            var zipScan = ScanRecordBuilder.Build(fromZip);
            var diskScan = ScanRecordBuilder.Build(fromFolder);
            Assert.Equal(diskScan.Slices[3].LoadHu().Pixels, zipScan.Slices[3].LoadHu().Pixels);
        }
        finally { Directory.Delete(dir, true); }
    }
}
