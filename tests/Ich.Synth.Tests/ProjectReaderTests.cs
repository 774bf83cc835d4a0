using Ich.Dicom.Series;
using Ich.TestKit;

namespace Ich.Synth.Tests;

/// <summary>The project's series assembly reads phantom folders as the generator meant them.</summary>
public class ProjectReaderTests(PhantomFixture fixture) : IClassFixture<PhantomFixture>
{
    [Fact]
    public void Assemble_PhantomScans_OrdersSlicesAsGeneratedDespiteRandomFileNames()
    {
        var assembly = SeriesAssembler.Assemble([fixture.Dir]);
        Assert.Equal(fixture.ScanCount, assembly.Studies.Count);
        var problems = string.Join("\n", assembly.AllSeries.Where(s => !s.Selected).Select(s => $"{s.SeriesInstanceUid}: {s.IneligibleReason} {s.Reason}"));
        Assert.True(assembly.AllSeries.All(s => s.Selected), problems);
        foreach (var scan in fixture.Scans)
        {
            var record = Assert.Single(assembly.SelectedScans(), r => r.ScanId == scan.Plan.SeriesUid);
            Assert.Equal(scan.Plan.SopUids, record.Slices.Select(s => s.SliceId));
            Assert.Equal(scan.Plan.ThicknessMm, record.SliceThicknessMm);
        }
    }

    [Fact]
    public void Assemble_SampleStudy_IsOneScanWithItsBleedSlices()
    {
        var sample = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var assembly = SeriesAssembler.Assemble([sample]);
        var record = Assert.Single(assembly.SelectedScans());
        // Companion files: README/CSVs are skipped by extension; the mask file may be listed as not DICOM, nothing else.
        Assert.All(assembly.UnlistedFiles, f => Assert.EndsWith(".ichmask", f.Path));
        Assert.Equal(25, record.Slices.Count);
        var masks = Output.BleedMaskFile.Read(Path.Combine(sample, "masks", "phantom-5-00000.ichmask"));
        Assert.Equal(masks.Slices.Select(s => s.SopInstanceUid), record.Slices.Select(s => s.SliceId));
        var hu = record.Slices[12].LoadHu();
        Assert.Equal((256, 256), (hu.Width, hu.Height));
    }
}
