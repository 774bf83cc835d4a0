using Ich.Core.Errors;
using Ich.Core.Text;
using Ich.Data.Catalog;
using Ich.TestKit;

namespace Ich.Data.Tests;

/// <summary>
/// The phantom layout of <c>ich synth</c> (scan folders of DICOM + labels.csv "ID_&lt;SOP UID&gt;_&lt;subtype&gt;"
/// + scans.csv), rebuilt here around a real DICOM series so the adapter is tested on its format alone.
/// </summary>
public class PhantomDatasetTests
{
    private const string ScansHeader = "scan_id,patient_id,study_uid,series_uid,slices,thickness_mm,pixel_spacing_mm,tilt_deg,encoding,transfer_syntax,subtypes,positive_slices,seed,scan_index";

    [SkippableFact]
    public void Open_PhantomLayout_UsesScansCsvIdsAndJoinsLabelsBySopUid()
    {
        var source = RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_Philips_S2010");
        var reference = CsvTable.Read(Path.Combine(RepoPaths.Shared, "realdata/headct/series_reference.csv"));
        var sops = reference.Rows.Where(r => r[reference.Require("series_folder")] == "headct/dcm_qa_ct_Philips_S2010")
            .OrderBy(r => int.Parse(r[reference.Require("sorted_index")])).Select(r => r[reference.Require("sop_instance_uid")]).ToList();
        using var t = new TempFolder();
        var scanDir = Path.Combine(t.Path, "phantom-7-00000");
        Directory.CreateDirectory(scanDir);
        Directory.CreateDirectory(Path.Combine(t.Path, "masks"));
        foreach (var f in Directory.GetFiles(source, "*.dcm")) File.Copy(f, Path.Combine(scanDir, Path.GetFileName(f)));
        // Invented truth: the 10th lowest slice has an intraventricular bleed.
        var rows = new List<string> { "ID,Label" };
        for (var k = 0; k < sops.Count; k++)
            foreach (var c in new[] { "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural", "any" })
                rows.Add($"ID_{sops[k]}_{c},{(k == 9 && c is "intraventricular" or "any" ? 1 : 0)}");
        File.WriteAllLines(Path.Combine(t.Path, "labels.csv"), rows);
        File.WriteAllLines(Path.Combine(t.Path, "scans.csv"),
        [
            ScansHeader,
            "phantom-7-00000,PH7-00000,1.2.3,1.2.3.4,28,5,0.45,0,Native,explicit,intraventricular,1,7,0",
            "phantom-7-00001,PH7-00001,1.2.5,1.2.5.4,30,5,0.45,0,Native,explicit,,0,7,1",
        ]);

        var load = DatasetCatalog.Open(DatasetKind.Phantom, t.Path);
        var scan = Assert.Single(load.Scans);
        Assert.Equal(("phantom", "phantom-7-00000", "PH7-00000"), (scan.Dataset, scan.ScanId, scan.PatientId));
        Assert.Equal(sops, scan.Slices.Select(s => s.SliceId));
        Assert.Equal([1f, 0, 0, 1, 0, 0], scan.Slices[9].Labels!);
        Assert.Equal(27, scan.Slices.Count(s => s.Labels![0] == 0));
        var text = load.Report.ToString();
        Assert.Contains("[phantom-7-00001]: scan folder missing", text);
        Assert.Contains("differs from scans.csv (1.2.3.4)", text);
        Assert.DoesNotContain("masks", text);
    }

    [Fact]
    public void Open_ScansCsvWithoutSliceColumn_NamesFileAndColumn()
    {
        using var t = new TempFolder();
        t.Write("scans.csv", "scan_id,patient_id,study_uid,series_uid\nphantom-1-00000,P,1,2\n");
        t.Write("labels.csv", "ID,Label\n");
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open(DatasetKind.Phantom, t.Path));
        Assert.Contains("missing column 'slices'", e.Message);
        Assert.Contains("scans.csv", e.Message);
    }

    [Fact]
    public void Open_ScanIdWithPath_IsRejectedWithLine()
    {
        using var t = new TempFolder();
        t.Write("scans.csv", ScansHeader + "\n../escape,P,1,2,3,5,0.5,0,Native,explicit,,0,1,0\n");
        t.Write("labels.csv", "ID,Label\n");
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open(DatasetKind.Phantom, t.Path));
        Assert.Equal(2, e.Line);
        Assert.Contains("is not a folder name", e.Message);
    }
}
