using Ich.Core.Errors;
using Ich.Data.Catalog;
using Ich.TestKit;

namespace Ich.Data.Tests;

public class DatasetCatalogTests
{
    [Fact]
    public void Open_UnknownKind_ListsKnownKinds()
    {
        var e = Assert.Throws<ConfigException>(() => DatasetCatalog.Open("kaggle", "/tmp"));
        Assert.Contains("unknown dataset kind 'kaggle'", e.Message);
        Assert.Contains("physionet-nifti", e.Message);
    }

    [Fact]
    public void Open_NiftiFolderWithABadFile_LoadsTheOthersAndReportsIt()
    {
        using var t = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Fixtures, "data", "orientation", "ras.nii"), Path.Combine(t.Path, "good.nii"));
        t.Write("broken.nii.gz", "not gzip and not nifti, long enough to hold a header? no: this is text. " + new string('x', 400));
        var load = DatasetCatalog.Open(DatasetKind.Nifti, t.Path);
        var scan = Assert.Single(load.Scans);
        Assert.Equal("good", scan.ScanId);
        Assert.Equal(DatasetKind.Nifti, scan.Dataset);
        var skipped = Assert.Single(load.Report.Skipped);
        Assert.EndsWith("broken.nii.gz", skipped.Path);
        Assert.Contains("not NIfTI", skipped.Reason);
    }

    [Fact]
    public void Open_MissingFolder_NamesIt()
    {
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Open(DatasetKind.PhysioNetNifti, "/no/such/folder"));
        Assert.Contains("/no/such/folder", e.Message);
    }
}
