using Ich.Core.Errors;
using Ich.Data.Catalog;

namespace Ich.Data.Tests;

public class DatasetKindTests
{
    [Fact]
    public void Parse_EveryKnownName_IgnoringCaseAndBlanks_GivesThatKind()
    {
        foreach (var kind in DatasetKind.All)
        {
            Assert.Same(kind, DatasetKind.Parse(kind.Name));
            Assert.Same(kind, DatasetKind.Parse($"  {kind.Name.ToUpperInvariant()} "));
        }
        Assert.Equal(DatasetKind.All.Count, DatasetKind.All.Select(k => k.Name).Distinct().Count());
    }

    [Fact]
    public void Parse_UnknownName_ConfigExceptionListingTheKnownNames()
    {
        var e = Assert.Throws<ConfigException>(() => DatasetKind.Parse("kaggle"));
        Assert.Contains("unknown dataset kind 'kaggle' (known: physionet, physionet-nifti, rsna, cq500, nifti, dicom, phantom)", e.Message, StringComparison.Ordinal);
        Assert.Null(DatasetKind.Find("kaggle"));
    }

    [Fact]
    public void Kind_ConvertsToItsName_WhereScanRecordsKeepIt()
    {
        string name = DatasetKind.PhysioNetNifti;
        Assert.Equal("physionet-nifti", name);
        Assert.True("phantom" == DatasetKind.Phantom);
    }
}
