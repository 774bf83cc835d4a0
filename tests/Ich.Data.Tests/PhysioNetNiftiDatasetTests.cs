using Ich.Data.Catalog;
using Ich.TestKit;

namespace Ich.Data.Tests;

public class PhysioNetNiftiDatasetTests
{
    private static string Fixture => Path.Combine(RepoPaths.Fixtures, "data", "physionet-nifti");

    [Fact]
    public void Open_Fixture_OrdersSlicesLowestFirstAndAttachesLabels()
    {
        // Fixture (tools/data/make_fixtures.py): slice s (1 = lowest) holds 100·s HU, +1 on the voxels at
        // patient right (x = 0 with a negative x step → column 0). 049 is stored superior-first.
        var load = DatasetCatalog.Open(DatasetKind.PhysioNetNifti, Fixture);
        Assert.Equal(["049", "050"], load.Scans.Select(s => s.ScanId));
        var p049 = load.Scans[0];
        Assert.Equal("physionet-nifti", p049.Dataset);
        Assert.Equal(4, p049.Slices.Count);
        for (var k = 0; k < 4; k++)
        {
            var hu = p049.Slices[k].LoadHu();
            Assert.Equal((8, 6), (hu.Width, hu.Height));
            Assert.Equal(100f * (k + 1) + 1, hu[0, 0]);       // column 0 = patient right
            Assert.Equal(100f * (k + 1), hu[0, 7]);
            Assert.Equal((k + 1).ToString(), p049.Slices[k].SliceId);
        }
        Assert.Equal([0f, 0, 0, 0, 0, 0], p049.Slices[1].Labels!);
        Assert.Equal([1f, 0, 1, 0, 0, 0], p049.Slices[2].Labels!); // Intraparenchymal on slice 3
        Assert.Equal([-45.0, -40.0, -35.0, -30.0], p049.Slices.Select(s => Math.Round(s.ZMm, 6)));
        var p050 = load.Scans[1];
        Assert.Equal([1f, 1, 0, 0, 0, 1], p050.Slices[1].Labels!); // Epidural + Subdural on slice 2
        Assert.Empty(load.Report.Skipped);
    }

    [Fact]
    public void Open_LabelRowsWithoutVolumeOrBeyondIt_AreReported()
    {
        using var t = new TempFolder();
        Directory.CreateDirectory(Path.Combine(t.Path, "ct_scans"));
        File.Copy(Path.Combine(Fixture, "ct_scans", "050.nii.gz"), Path.Combine(t.Path, "ct_scans", "050.nii.gz"));
        File.Copy(Path.Combine(Fixture, "ct_scans", "049.nii"), Path.Combine(t.Path, "ct_scans", "077.nii"));
        t.Write("hemorrhage_diagnosis_raw_ct.csv",
            "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No\n" +
            "50,1,0,0,0,0,0,1,0\n50,2,0,0,0,0,0,1,0\n50,7,0,0,0,0,0,1,0\n51,1,0,0,0,0,0,1,0\n");
        var load = DatasetCatalog.Open(DatasetKind.PhysioNetNifti, t.Path);
        var scan = Assert.Single(load.Scans);
        Assert.Null(scan.Slices[2].Labels); // slice 3 has no row
        var text = load.Report.ToString();
        Assert.Contains("[050/7]: label row for slice 7 but the volume has 3 slices", text);
        Assert.Contains(":4 [050/7]", text);
        Assert.Contains("[051]: volume missing", text);
        Assert.Contains("077.nii [077]: volume has no rows", text);
        Assert.Contains("kept unlabelled: 3", text);
    }
}
