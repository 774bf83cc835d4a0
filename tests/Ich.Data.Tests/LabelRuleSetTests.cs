using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Data.Catalog;

namespace Ich.Data.Tests;

/// <summary>
/// The one rule set of docs/labels.md, applied the same way by the RSNA (both layouts), PhysioNet and CQ500
/// readers. Each rule is tested on every format it applies to.
/// </summary>
public sealed class LabelRuleSetTests
{
    private const string PhysioNetHeader = "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No";
    private static readonly string Cq500Header = "name," + string.Join(",", new[] { "R1", "R2", "R3" }.SelectMany(r => HemorrhageClasses.Abbreviations.Select(f => $"{r}:{f}")));

    private static string LongRows(string image, params int[] anyThenSubtypes) =>
        string.Concat(Enumerable.Range(0, HemorrhageClasses.Count).Select(k => $"{RsnaLabelFile.RowId(image, k)},{anyThenSubtypes[k]}\n"));

    private static string Cq500Row(string name, params int[] anyThenSubtypes) =>
        name + "," + string.Join(",", Enumerable.Repeat(string.Join(",", anyThenSubtypes), 3));

    // Rule: a subtype = 1 with any = 0 is contradictory, a typed error naming item, file and line, in every format.
    [Fact]
    public void SubtypeWithoutAny_RsnaLong_IsLabelContradiction()
    {
        using var t = new TempFolder();
        var path = t.Write("long.csv", "ID,Label\n" + LongRows("ID_aaa", 0, 0, 0, 0, 0, 0) + LongRows("ID_bbb", 0, 0, 0, 0, 1, 0));
        var e = Assert.Throws<LabelContradictionException>(() => RsnaLabelFile.Read(path));
        Assert.Equal((path, 8, "image ID_bbb"), (e.Path, e.Line, e.Item));
        Assert.Contains("subarachnoid = 1 but any = 0", e.Message);
    }

    [Fact]
    public void SubtypeWithoutAny_RsnaWide_IsLabelContradiction()
    {
        using var t = new TempFolder();
        var path = t.Write("wide.csv", "ID," + string.Join(",", HemorrhageClasses.Names) + "\nID_aaa,0,0,0,0,0,0\nID_bbb,0,0,0,0,0,1\n");
        var e = Assert.Throws<LabelContradictionException>(() => RsnaLabelFile.Read(path));
        Assert.Equal((path, 3, "image ID_bbb"), (e.Path, e.Line, e.Item));
        Assert.Contains("subdural = 1 but any = 0", e.Message);
    }

    [Fact]
    public void SubtypeWithoutAny_PhysioNet_IsLabelContradiction()
    {
        using var t = new TempFolder();
        var path = t.Write("hd.csv", $"{PhysioNetHeader}\n49,1,0,0,0,0,0,1,0\n49,2,0,0,0,0,1,1,0\n");
        var e = Assert.Throws<LabelContradictionException>(() => PhysioNetLabelFile.Read(path));
        Assert.Equal((path, 3, "patient 49 slice 2"), (e.Path, e.Line, e.Item));
    }

    [Fact]
    public void SubtypeWithoutAny_Cq500_IsLabelContradiction()
    {
        using var t = new TempFolder();
        var path = t.Write("reads.csv", $"{Cq500Header}\n{Cq500Row("CQ500-CT-1", 0, 0, 0, 0, 0, 0)}\n{Cq500Row("CQ500-CT-2", 0, 1, 0, 0, 0, 0)}\n");
        var e = Assert.Throws<LabelContradictionException>(() => Cq500ReadsFile.Read(path));
        Assert.Equal((path, 3, "scan CQ500-CT-2"), (e.Path, e.Line, e.Item));
    }

    // Rule: any = 1 without a subtype is allowed (RSNA, CQ500 majority votes), except where a column states
    // "no hemorrhage" explicitly (PhysioNet), which must then be the exact complement of the subtypes.
    [Fact]
    public void AnyWithoutSubtype_RsnaAndCq500_Kept()
    {
        using var t = new TempFolder();
        var rsna = t.Write("long.csv", "ID,Label\n" + LongRows("ID_aaa", 1, 0, 0, 0, 0, 0));
        Assert.Equal([1f, 0, 0, 0, 0, 0], RsnaLabelFile.Read(rsna).Items["ID_aaa"].Labels!);
        var cq = t.Write("reads.csv", $"{Cq500Header}\n{Cq500Row("CQ500-CT-3", 1, 0, 0, 0, 0, 0)}\n");
        Assert.Equal([1f, 0, 0, 0, 0, 0], Cq500ReadsFile.Read(cq).Items["CQ500-CT-3"].Labels);
    }

    [Fact]
    public void AnyWithoutSubtype_PhysioNet_IsLabelContradiction()
    {
        using var t = new TempFolder();
        var path = t.Write("hd.csv", $"{PhysioNetHeader}\n49,1,0,0,0,0,0,0,0\n");
        var e = Assert.Throws<LabelContradictionException>(() => PhysioNetLabelFile.Read(path));
        Assert.Contains("No_Hemorrhage = 0 but no subtype is 1", e.Message);
    }

    // Rule: an exact repeat is dropped and counted (and reported by the adapters); a repeat with another value fails.
    [Fact]
    public void ExactRepeat_EveryFormat_DroppedCountedAndReported()
    {
        using var t = new TempFolder();
        var rsna = t.Write("long.csv", "ID,Label\n" + LongRows("ID_aaa", 1, 0, 0, 0, 1, 0) + "ID_aaa_subarachnoid,1\n");
        var wide = t.Write("wide.csv", "ID," + string.Join(",", HemorrhageClasses.Names) + "\nID_aaa,1,0,0,0,1,0\nID_aaa,1,0,0,0,1,0\n");
        var physio = t.Write("hd.csv", $"{PhysioNetHeader}\n49,1,0,0,0,0,0,1,0\n49,1,0,0,0,0,0,1,0\n");
        var cq = t.Write("reads.csv", $"{Cq500Header}\n{Cq500Row("CQ500-CT-3", 0, 0, 0, 0, 0, 0)}\n{Cq500Row("CQ500CT3", 0, 0, 0, 0, 0, 0)}\n");
        var report = new LoadReport();
        Assert.Equal(1, RsnaLabelFile.Read(rsna).NotedIn(report).DuplicateRows);
        Assert.Equal(1, RsnaLabelFile.Read(wide).DuplicateRows);
        Assert.Single(PhysioNetLabelFile.Read(physio).Items);
        Assert.Equal(1, PhysioNetLabelFile.Read(physio).DuplicateRows);
        Assert.Equal(1, Cq500ReadsFile.Read(cq).DuplicateRows);
        Assert.Contains(report.Issues, i => i.Path == rsna && i.Reason == "1 exact duplicate rows ignored");
    }

    [Fact]
    public void RepeatWithOtherValue_EveryFormat_NamesBothLines()
    {
        using var t = new TempFolder();
        var wide = t.Write("wide.csv", "ID," + string.Join(",", HemorrhageClasses.Names) + "\nID_aaa,1,0,0,0,1,0\nID_aaa,0,0,0,0,0,0\n");
        var physio = t.Write("hd.csv", $"{PhysioNetHeader}\n49,1,0,0,0,0,0,1,0\n49,1,0,0,0,0,0,1,1\n");
        var cq = t.Write("reads.csv", $"{Cq500Header}\n{Cq500Row("CQ500-CT-3", 0, 0, 0, 0, 0, 0)}\n{Cq500Row("CQ500-CT-03", 1, 0, 0, 0, 0, 0)}\n");
        foreach (var read in new Action[] { () => RsnaLabelFile.Read(wide), () => PhysioNetLabelFile.Read(physio), () => Cq500ReadsFile.Read(cq) })
        {
            var e = Assert.Throws<DatasetFormatException>(read);
            Assert.Equal(3, e.Line);
            Assert.Contains("listed twice (first on line 2) with other", e.Message);
        }
    }

    // Rule: a file without rows is an error (an empty ground truth would make every join silently empty).
    [Fact]
    public void NoRows_EveryFormat_IsError()
    {
        using var t = new TempFolder();
        var files = new (string Path, Action Read)[]
        {
            (t.Write("long.csv", "ID,Label\n"), () => RsnaLabelFile.Read(Path.Combine(t.Path, "long.csv"))),
            (t.Write("hd.csv", PhysioNetHeader + "\n"), () => PhysioNetLabelFile.Read(Path.Combine(t.Path, "hd.csv"))),
            (t.Write("reads.csv", Cq500Header + "\n"), () => Cq500ReadsFile.Read(Path.Combine(t.Path, "reads.csv"))),
        };
        foreach (var (path, read) in files)
        {
            var e = Assert.Throws<DatasetFormatException>(read);
            Assert.Equal(path, e.Path);
            Assert.Contains("no label rows", e.Message);
        }
    }

    // Rule: IDs are <SOPInstanceUID>_<subtype>, never prefixed; only the legacy phantom reading removes the
    // "ID_" that earlier ich synth versions put before a DICOM UID (RSNA's own ID_<hex> is kept).
    [Theory]
    [InlineData("ID_1.2.826.0.1.3680043.2.1125.1", false, "ID_1.2.826.0.1.3680043.2.1125.1")]
    [InlineData("ID_1.2.826.0.1.3680043.2.1125.1", true, "1.2.826.0.1.3680043.2.1125.1")]
    [InlineData("ID_63eb1e259", true, "ID_63eb1e259")]
    [InlineData("ID_123456789", true, "ID_123456789")]
    [InlineData("1.2.3", true, "1.2.3")]
    public void ImageKeys_LegacyPhantomPrefixOnlyWhenAsked(string image, bool legacy, string expected)
    {
        using var t = new TempFolder();
        var path = t.Write("long.csv", "ID,Label\n" + LongRows(image, 0, 0, 0, 0, 0, 0));
        Assert.Equal([expected], RsnaLabelFile.Read(path, legacy).Items.Keys);
    }

    [Fact]
    public void RowId_IsSopThenSubtype_AndReadsBack()
    {
        Assert.Equal("1.2.3_epidural", RsnaLabelFile.RowId("1.2.3", 1));
        using var t = new TempFolder();
        var path = t.Write("long.csv", "ID,Label\n" + LongRows("1.2.3", 1, 0, 0, 1, 0, 0));
        Assert.Equal([1f, 0, 0, 1, 0, 0], RsnaLabelFile.Read(path).Items["1.2.3"].Labels!);
    }
}
