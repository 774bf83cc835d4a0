using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.PhysioNet;
using Ich.TestKit;
using SkiaSharp;

namespace Ich.Data.Tests;

public class PhysioNetJpgDatasetTests
{
    private static readonly Lazy<DatasetLoad> Corpus = new(() =>
        DatasetCatalog.Open(DatasetKind.PhysioNet, Path.Combine(RepoPaths.Shared, "physionet-ctich")));

    [SkippableFact]
    public void Open_RealCorpus_Has56PatientsAnd1732LabelledSlices_MissingImagesReportedByName()
    {
        RepoPaths.RequireShared("physionet-ctich/hemorrhage_diagnosis.csv");
        var load = Corpus.Value;
        Assert.Equal(56, load.Scans.Count);
        var skipped = load.Report.Skipped.ToList();
        // Every labelled slice is either loaded or reported (1,732 rows in the README).
        Assert.Equal(1732, load.SliceCount + skipped.Count(s => s.Reason.StartsWith("labelled slice without image")));
        // Known gaps of this export (checked with a file listing): 19 slices lack both images, 084/36 its bone image.
        Assert.Equal(20, skipped.Count);
        Assert.Contains(skipped, s => s.Item == "049/1" && s.Reason.Contains("brain/1.jpg"));
        Assert.Contains(skipped, s => s.Item == "084/36" && s.Reason.Contains("bone/36.jpg") && !s.Reason.Contains("brain/36.jpg"));
        Assert.All(skipped, s => Assert.NotNull(s.Line));
    }

    [SkippableFact]
    public void Open_RealCorpus_ScansAreOrderedAndLabelled()
    {
        RepoPaths.RequireShared("physionet-ctich/hemorrhage_diagnosis.csv");
        var scans = Corpus.Value.Scans;
        var p049 = scans.Single(s => s.ScanId == "049");
        Assert.Equal("049", p049.PatientId);
        Assert.Equal(5.0, p049.SliceThicknessMm);
        Assert.Equal("2", p049.Slices[0].SliceId); // slice 1 has no image
        Assert.Equal(5.0, p049.Slices[0].ZMm);
        Assert.All(scans, s => Assert.True(s.Slices.Zip(s.Slices.Skip(1)).All(p => p.First.ZMm < p.Second.ZMm)));
        Assert.All(scans, s => Assert.True(s.Slices.Select((x, i) => x.Index == i).All(b => b)));
        // 223 labelled slices are positive in the CSV (No_Hemorrhage = 0); 10 of the 20 image gaps are
        // positive slices (counted with a Python listing of the folder), so 213 positive slices load.
        Assert.Equal(213, scans.SelectMany(s => s.Slices).Count(s => s.Labels![0] == 1));
        Assert.Equal(25, scans.Count(s => s.Slices.Any(x => x.Labels![0] == 1))); // README: 25 patients with ICH
    }

    [SkippableFact]
    public void LoadPair_RealSlice_RebuildsHandComputedHu()
    {
        var dir = RepoPaths.RequireShared("physionet-ctich/Patients_CT/049");
        var brainPath = Path.Combine(dir, "brain", "15.jpg");
        var bonePath = Path.Combine(dir, "bone", "15.jpg");
        var hu = PhysioNetJpgDataset.LoadPair(brainPath, bonePath, BoneMapping.Nominal);
        Assert.Equal(650, hu.Width);
        Assert.Equal(650, hu.Height);
        // Gray levels of these pixels read with Pillow (tools/data: brain, bone): (368,443) = 102, 74;
        // (463,502) = 255, 197; (368,8) = 0, 0. HU by hand from the README windows:
        Assert.Equal(-20 + 102 * 120 / 255.0, hu[368, 443], 2);     // brain window resolves: 28.0 HU
        Assert.Equal(-900 + 197 * 3200 / 255.0, hu[463, 502], 1);   // bone: 1572.2 HU
        Assert.Equal(-900, hu[368, 8], 2);                           // air: bone window floor
    }

    [SkippableFact]
    public void FitScan_RealCorpus_FindsTheTwoOddExports()
    {
        RepoPaths.RequireShared("physionet-ctich/Patients_CT");
        var load = Corpus.Value;
        BoneMapping Fit(string id)
        {
            var scan = load.Scans.Single(s => s.ScanId == id);
            var pairs = scan.Slices.Select(s => (s.SourcePath!, s.SourcePath!.Replace("/brain/", "/bone/"))).ToList();
            return PhysioNetJpgDataset.FitScan(id, pairs);
        }
        var nominal = BoneMapping.Nominal;
        var normal = Fit("049");
        Assert.InRange(normal.Slope / nominal.Slope, 0.95, 1.05);
        Assert.InRange(normal.Intercept - nominal.Intercept, -0.5, 0.5);
        // README: 050's bone intercept is about 8 gray levels lower, 081's slope about twice the nominal.
        var p050 = Fit("050");
        Assert.InRange(p050.Intercept - nominal.Intercept, -9.5, -6);
        var p081 = Fit("081");
        Assert.InRange(p081.Slope / nominal.Slope, 1.8, 2.4);
    }

    [SkippableFact]
    public void LoadHu_RealPatient_ReportsOddBoneWindowOnce()
    {
        RepoPaths.RequireShared("physionet-ctich/Patients_CT");
        var load = DatasetCatalog.Open(DatasetKind.PhysioNet, Path.Combine(RepoPaths.Shared, "physionet-ctich"));
        var scan = load.Scans.Single(s => s.ScanId == "050");
        var first = scan.Slices[0].LoadHu();
        var second = scan.Slices[1].LoadHu();
        Assert.Equal(650 * 650, first.Pixels.Length);
        Assert.NotSame(first.Pixels, second.Pixels);
        var adjusted = load.Report.Issues.Where(i => i.Kind == LoadIssueKind.Adjusted && i.Item == "050").ToList();
        Assert.Single(adjusted);
        Assert.Contains("bone window differs", adjusted[0].Reason);
    }

    [Fact]
    public void Open_SyntheticExport_ReportsMissingImagesUnlabelledFilesAndFolders()
    {
        using var t = new TempFolder();
        t.Write("hemorrhage_diagnosis.csv",
            "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No\n" +
            "1,1,0,0,0,0,0,1,0\n1,2,0,0,0,0,1,0,0\n1,3,0,0,0,0,0,1,0\n2,1,0,0,0,0,0,1,0\n");
        foreach (var (slice, window) in new[] { (1, "brain"), (1, "bone"), (2, "brain"), (2, "bone"), (3, "brain"), (9, "bone") })
            WriteGrayJpeg(Path.Combine(t.Path, "Patients_CT", "001", window, $"{slice}.jpg"), 64, 64, window == "brain" ? (byte)128 : (byte)75);
        Directory.CreateDirectory(Path.Combine(t.Path, "Patients_CT", "007"));
        var load = DatasetCatalog.Open(DatasetKind.PhysioNet, t.Path);
        var scan = Assert.Single(load.Scans);
        Assert.Equal(["1", "2"], scan.Slices.Select(s => s.SliceId));
        Assert.Equal([1f, 0, 0, 0, 0, 1], scan.Slices[1].Labels!);
        var issues = load.Report.Skipped.Select(i => i.ToString()).ToList();
        Assert.Contains(issues, i => i.Contains("[001/3]") && i.Contains("missing Patients_CT/001/bone/3.jpg") && i.Contains(":4 "));
        Assert.Contains(issues, i => i.Contains("[002]") && i.Contains("patient folder missing"));
        Assert.Contains(issues, i => i.Contains("[001/9]") && i.Contains("image without a row"));
        Assert.Contains(issues, i => i.Contains("[007]") && i.Contains("no rows"));
        // Uniform 64×64 images: too few unsaturated blocks? No — 64 blocks per slice < 200 → nominal, reported.
        var hu = scan.Slices[0].LoadHu();
        Assert.Equal(-20 + 128 * 120 / 255.0, hu[10, 10], 1);
        Assert.Contains(load.Report.Issues, i => i.Kind == LoadIssueKind.Adjusted && i.Reason.Contains("could not be fitted"));
    }

    [Fact]
    public void Open_ExportAndSinglePatientFolder_MarkHuAsRebuiltFromDisplayWindows()
    {
        // The predictor's CT-in-HU guard reads this flag, not the dataset name (the windows' floor can hide the air).
        using var t = new TempFolder();
        t.Write("hemorrhage_diagnosis.csv",
            "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No\n" +
            "1,1,0,0,0,0,0,1,0\n");
        foreach (var window in new[] { "brain", "bone" })
            WriteGrayJpeg(Path.Combine(t.Path, "Patients_CT", "001", window, "1.jpg"), 64, 64, 100);

        var export = Assert.Single(DatasetCatalog.Open(DatasetKind.PhysioNet, t.Path).Scans);
        var patient = Assert.Single(DatasetCatalog.Open(DatasetKind.PhysioNet, Path.Combine(t.Path, "Patients_CT", "001")).Scans);

        Assert.Equal(HuSource.RebuiltFromDisplayWindows, export.HuSource);
        Assert.Equal(HuSource.RebuiltFromDisplayWindows, patient.HuSource);
    }

    [Fact]
    public void Open_MissingLabelFile_NamesIt()
    {
        using var t = new TempFolder();
        Directory.CreateDirectory(Path.Combine(t.Path, "Patients_CT"));
        var e = Assert.Throws<DatasetFormatException>(() => PhysioNetJpgDataset.Open(t.Path, new LoadReport()));
        Assert.Contains("hemorrhage_diagnosis.csv", e.Message);
    }

    [Fact]
    public void LoadPair_CorruptJpeg_ThrowsImageFormatExceptionNamingFile()
    {
        using var t = new TempFolder();
        var brain = t.Write("brain.jpg", "not a jpeg");
        var bone = t.Write("bone.jpg", "not a jpeg");
        var e = Assert.Throws<ImageFormatException>(() => PhysioNetJpgDataset.LoadPair(brain, bone, BoneMapping.Nominal));
        Assert.Equal(brain, e.Path);
    }

    private static void WriteGrayJpeg(string path, int w, int h, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque));
        bmp.Erase(new SKColor(value, value, value));
        using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
