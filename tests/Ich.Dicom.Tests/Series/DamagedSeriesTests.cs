using Ich.Core.Scans;
using Ich.Dicom.Reading;
using Ich.Dicom.Series;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Series;

/// <summary>
/// A study cut short in transfer: some instances end inside their pixel data. The header-only listing must notice
/// (without decoding a pixel), keep the readable slices as the scan, and list the others with where they were.
/// </summary>
public class DamagedSeriesTests
{
    [Fact]
    public void HeaderRead_FileCutInsideItsPixelData_NamesTheElementAndBothLengths()
    {
        var source = Path.Combine(RepoPaths.Fixtures, "dicom", "CT_small.dcm");
        var dir = RepoPaths.NewTempDir();
        var cut = Path.Combine(dir, "cut.dcm");
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(cut, bytes[..^1000]);

        var whole = DicomFileReader.Read(source, DicomReadOptions.Header);
        var damaged = DicomFileReader.Read(cut, DicomReadOptions.Header);

        Assert.Null(whole.PixelDataProblem);
        Assert.NotNull(damaged.PixelDataProblem);
        // CT_small.dcm (39,206 bytes; read with pydicom and a hex dump): 128×128 at 16 bits = 32,768 pixel bytes, its
        // (7FE0,0010) OW header of 12 bytes at offset 6,288; cut by 1,000 bytes, 39,206 − 1,000 − 6,288 − 12 = 31,906 remain.
        Assert.Contains("claims 32768 bytes but only 31906 remain", damaged.PixelDataProblem, StringComparison.Ordinal);
        Assert.Contains("(7FE0,0010)", damaged.PixelDataProblem, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [SkippableFact]
    public void Assemble_RealRsnaSeriesWithThreeTruncatedInstances_ScanHasTheOther29AndListsTheThree()
    {
        var folder = RepoPaths.RequireShared("realdata/headct/rsna2019_okotaku_stage2_series");
        var dir = RepoPaths.NewTempDir();
        foreach (var f in Directory.GetFiles(folder, "*.dcm")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var intact = Assert.Single(Assert.Single(SeriesAssembler.Assemble([dir]).Studies).Series);
        Assert.Equal(32, intact.Slices.Count);
        var damagedSlices = new[] { 5, 15, 25 }.Select(i => intact.Slices[i]).ToList();
        foreach (var s in damagedSlices)
        {
            var bytes = File.ReadAllBytes(s.Header.Path);
            File.WriteAllBytes(s.Header.Path, bytes[..^5000]); // as in the field report: 5000 bytes short
        }

        var series = Assert.Single(Assert.Single(SeriesAssembler.Assemble([dir]).Studies).Series);
        var scan = ScanRecordBuilder.Build(series);

        Assert.Contains(series.Problems, p => p.Code == SeriesProblemCodes.UnreadablePixels);
        Assert.Equal(29, scan.Slices.Count);
        Assert.Equal(Enumerable.Range(0, 29), scan.Slices.Select(s => s.Index));
        Assert.Equal(damagedSlices.Select(s => s.SopInstanceUid), scan.MissingSlices.Select(m => m.SliceId));
        Assert.Equal(damagedSlices.Select(s => s.PositionMm), scan.MissingSlices.Select(m => m.ZMm));
        Assert.All(scan.MissingSlices, m => Assert.Contains("claims 524288 bytes but only 519288 remain", m.Reason, StringComparison.Ordinal));
        Assert.DoesNotContain(scan.Slices, s => damagedSlices.Any(d => d.SopInstanceUid == s.SliceId));
        Assert.Null(ScanCompleteness.Problem(scan)); // 3 of 32, each hole about 10 mm
        var note = ScanCompleteness.Note(scan)!;
        Assert.StartsWith("3 of 32 slices unreadable", note, StringComparison.Ordinal);
        Assert.All(damagedSlices, s => Assert.Contains(Path.GetFileName(s.Header.Path), note, StringComparison.Ordinal));
        // The readable slices still decode.
        Assert.Equal(512, scan.Slices[5].LoadHu().Width);
        Directory.Delete(dir, true);
    }
}

/// <summary>The rule that says when a scan with unreadable slices is still triaged (docs/predict.md).</summary>
public class ScanCompletenessTests
{
    /// <summary>A scan of <paramref name="count"/> slices 5 mm apart, with the given indices missing.</summary>
    private static ScanRecord Scan(int count, params int[] missing)
    {
        var kept = Enumerable.Range(0, count).Where(i => !missing.Contains(i))
            .Select((i, index) => new SliceRecord($"s{i}", index, i * 5.0, null, () => throw new InvalidOperationException("not loaded"))).ToList();
        return new ScanRecord("dicom", "p", "scan", kept)
        {
            MissingSlices = missing.Select(i => new MissingSlice($"s{i}", i * 5.0, $"/in/f{i}.dcm", "pixel data truncated")).ToList(),
        };
    }

    [Fact]
    public void NothingMissing_NoProblemNoNote()
    {
        Assert.Null(ScanCompleteness.Problem(Scan(10)));
        Assert.Null(ScanCompleteness.Note(Scan(10)));
    }

    [Fact]
    public void TwoScatteredOfTen_Triaged_WithANoteNamingFilesAndZ()
    {
        var scan = Scan(10, 3, 7);

        Assert.Null(ScanCompleteness.Problem(scan));
        Assert.Equal("2 of 10 slices unreadable and left out (files: f3.dcm, f7.dcm; z (mm): 15.0, 35.0)", ScanCompleteness.Note(scan));
        Assert.Equal(10.0, ScanCompleteness.WidestHoleMm(scan), 9);
    }

    [Fact]
    public void ThreeOfTen_MoreThanTwentyPercent_Fails()
    {
        var problem = ScanCompleteness.Problem(Scan(10, 2, 5, 8));

        Assert.NotNull(problem);
        Assert.StartsWith("3 of 10 slices have unreadable pixel data, more than 20", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AdjacentMissing_HoleUpTo15MmTriaged_Beyond15MmFails()
    {
        Assert.Null(ScanCompleteness.Problem(Scan(20, 8, 9)));          // hole 7 → 10: 15 mm
        var problem = ScanCompleteness.Problem(Scan(20, 8, 9, 10));      // hole 7 → 11: 20 mm
        Assert.NotNull(problem);
        Assert.Contains("20.0 mm hole", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingAtTheEnds_NoHole_OnlyTheFractionCounts()
    {
        var scan = Scan(20, 0, 1, 2, 19);

        Assert.Equal(0, ScanCompleteness.WidestHoleMm(scan));
        Assert.Null(ScanCompleteness.Problem(scan));
    }

    [Fact]
    public void EverySliceMissing_Fails()
    {
        Assert.StartsWith("all 3 slices have unreadable pixel data", ScanCompleteness.Problem(Scan(3, 0, 1, 2)), StringComparison.Ordinal);
    }
}
