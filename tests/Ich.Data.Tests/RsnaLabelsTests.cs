using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Core.Scans;
using Ich.Data.Catalog;
using Ich.Data.Rsna;
using Ich.TestKit;

namespace Ich.Data.Tests;

public class RsnaLabelsTests
{
    private static string Long(params string[] rows) => "ID,Label\n" + string.Join("\n", rows) + "\n";

    private static string[] Image(string id, int any, int edh = 0, int iph = 0, int ivh = 0, int sah = 0, int sdh = 0) =>
    [
        $"{id}_epidural,{edh}", $"{id}_intraparenchymal,{iph}", $"{id}_intraventricular,{ivh}",
        $"{id}_subarachnoid,{sah}", $"{id}_subdural,{sdh}", $"{id}_any,{any}",
    ];

    [Fact]
    public void Read_LongLayoutWithDuplicates_PivotsToClassOrder()
    {
        using var t = new TempFolder();
        var rows = Image("ID_00000aaaa", 1, sah: 1, sdh: 1).Concat(Image("ID_00000bbbb", 0)).Append("ID_00000aaaa_subdural,1").ToArray();
        var path = t.Write("stage_2_train.csv", Long(rows));
        var report = new LoadReport();
        var labels = RsnaLabelFile.Read(path).NotedIn(report).Items;
        Assert.Equal(2, labels.Count);
        Assert.Equal([1f, 0, 0, 0, 1, 1], labels["ID_00000aaaa"].Labels!);
        Assert.Equal([0f, 0, 0, 0, 0, 0], labels["ID_00000bbbb"].Labels!);
        Assert.Contains(report.Issues, i => i.Reason.Contains("1 exact duplicate rows ignored"));
    }

    [Theory]
    [InlineData("ID_00000aaaa_subdural,0", 8, "contradictory duplicate: 'ID_00000aaaa_subdural' is 1 on line 6 and 0 here")]
    [InlineData("ID_00000aaaa_chronic,0", 8, "unknown subtype 'chronic'")]
    [InlineData("ID_00000cccc_any,2", 8, "Label '2' of 'ID_00000cccc_any' is not 0 or 1")]
    [InlineData("nounderscore,0", 8, "is not <SOP>_<subtype>")]
    [InlineData("ID_00000cccc_any,0", 8, "image ID_00000cccc has no row for epidural, intraparenchymal")]
    public void Read_BadLongRows_NameFileAndLine(string extra, int line, string reason)
    {
        using var t = new TempFolder();
        var rows = Image("ID_00000aaaa", 1, sdh: 1).Append(extra).ToArray();
        var path = t.Write("stage_2_train.csv", Long(rows));
        var e = Assert.Throws<DatasetFormatException>(() => RsnaLabelFile.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Equal(line, e.Line);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Read_Mislabelled_SubtypeWithoutAny_Throws()
    {
        using var t = new TempFolder();
        var path = t.Write("l.csv", Long(Image("ID_00000aaaa", 0, edh: 1)));
        var e = Assert.Throws<LabelContradictionException>(() => RsnaLabelFile.Read(path));
        Assert.Contains("contradictory labels of image ID_00000aaaa: epidural = 1 but any = 0", e.Message);
        Assert.Equal("image ID_00000aaaa", e.Item);
        Assert.Equal(path, e.Path);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Read_WideMissingClassColumn_NamesIt()
    {
        using var t = new TempFolder();
        var path = t.Write("w.csv", "ID,any,epidural,intraparenchymal,intraventricular,subarachnoid\nID_1,0,0,0,0,0\n");
        var e = Assert.Throws<DatasetFormatException>(() => RsnaLabelFile.Read(path));
        Assert.Contains("missing column(s) subdural", e.Message);
        Assert.Equal(1, e.Line);
    }

    [SkippableFact]
    public void Read_RealdataWideLabels_KnownAndUnknownRows()
    {
        var path = RepoPaths.RequireShared("realdata/ich-labelled/rsna2019_banutu98_IHD/labels.csv");
        var report = new LoadReport();
        var labels = RsnaLabelFile.Read(path).NotedIn(report).Items;
        // README: 20 images; 10 confirmed negative (all six 0), 1 with only any/epidural quoted, 9 unknown.
        Assert.Equal(20, labels.Count);
        Assert.Equal(10, labels.Values.Count(l => l.Labels is not null));
        Assert.All(labels.Values.Where(l => l.Labels is not null), l => Assert.All(l.Labels!, v => Assert.Equal(0f, v)));
        Assert.Null(labels["ID_000012eaf"].Labels);
        Assert.Contains(report.Issues, i => i.Reason.Contains("1 image(s) with only some labels"));
    }

    [Fact]
    public void AttachLabels_SkipsCorruptImage_ReportsOrphansAndUnlabelled()
    {
        using var t = new TempFolder();
        var path = t.Write("l.csv", Long(Image("ID_aaa", 1, iph: 1).Concat(Image("ID_6431af929", 0)).Concat(Image("ID_zzz", 0)).ToArray()));
        var labels = RsnaLabelFile.Read(path).Items;
        HuImage Never() => throw new InvalidOperationException("not loaded in this test");
        var scan = new ScanRecord("dicom", "ID_p1", "ID_series", [
            new SliceRecord("ID_6431af929", 0, 0, null, Never, "/x/ID_6431af929.dcm"),
            new SliceRecord("ID_aaa", 1, 5, null, Never, "/x/ID_aaa.dcm"),
            new SliceRecord("ID_bbb", 2, 10, null, Never, "/x/ID_bbb.dcm"),
        ]);
        var report = new LoadReport();
        var result = RsnaDataset.AttachLabels([scan], labels, path, report);
        var s = Assert.Single(result);
        Assert.Equal("rsna", s.Dataset);
        Assert.Equal(["ID_aaa", "ID_bbb"], s.Slices.Select(x => x.SliceId));
        Assert.Equal([0, 1], s.Slices.Select(x => x.Index));
        Assert.Equal([1f, 0, 1, 0, 0, 0], s.Slices[0].Labels!);
        Assert.Null(s.Slices[1].Labels);
        var text = report.ToString();
        Assert.Contains("ID_6431af929.dcm [ID_6431af929]: known corrupt", text);
        Assert.Contains("1 of 3 slices have no labels", text);
        Assert.Contains("[ID_zzz]: 1 labelled image(s) have no DICOM file", text);
        Assert.True(RsnaDataset.IsKnownCorruptFile("/data/stage_2_train/ID_6431af929.dcm"));
    }
}
