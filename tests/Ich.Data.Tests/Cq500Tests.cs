using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Data.Cq500;
using Ich.TestKit;

namespace Ich.Data.Tests;

public class Cq500Tests
{
    private static string Fixture => Path.Combine(RepoPaths.Fixtures, "data", "cq500");

    [Fact]
    public void Read_FixtureReads_TakesMajorityPerFindingInClassOrder()
    {
        var reads = Cq500ReadsFile.Read(Path.Combine(Fixture, "reads.csv")).Items;
        Assert.Equal(3, reads.Count);
        // any, epidural, intraparenchymal, intraventricular, subarachnoid, subdural
        Assert.Equal([1f, 0, 0, 0, 0, 1], reads["CQ500-CT-0"].Labels);   // IPH by 1 of 3 only
        Assert.Equal([0f, 0, 0, 0, 0, 0], reads["CQ500-CT-12"].Labels);  // one reader
        Assert.Equal([1f, 1, 0, 1, 0, 0], reads["CQ500-CT-40"].Labels);
        Assert.Equal("B2", reads["CQ500-CT-12"].Category);
    }

    [Fact]
    public void FindStudies_FixtureLayout_FindsSeriesFolders()
    {
        var studies = Cq500Layout.FindStudies(Fixture);
        Assert.Equal([0, 12], studies.Keys.Order());
        Assert.Equal(["CT 5mm", "CT PLAIN THIN"], studies[0].SeriesFolders.Select(Path.GetFileName));
        Assert.Equal(["CT Plain"], studies[12].SeriesFolders.Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("R1:ICH", "missing column(s) R1:ICH", 1)]
    [InlineData("name", "missing column(s) name", 1)]
    public void Read_MissingColumn_NamesIt(string drop, string reason, int line)
    {
        using var t = new TempFolder();
        var lines = File.ReadAllLines(Path.Combine(Fixture, "reads.csv"));
        var header = lines[0].Split(',');
        var col = Array.IndexOf(header, drop);
        var rewritten = lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != col)));
        var path = t.Write("reads.csv", string.Join("\n", rewritten) + "\n");
        var e = Assert.Throws<DatasetFormatException>(() => Cq500ReadsFile.Read(path));
        Assert.Contains(reason, e.Message);
        Assert.Equal(line, e.Line);
        Assert.Equal(path, e.Path);
    }

    [Theory]
    [InlineData(2, "R1:ICH", "x", "R1:ICH 'x' of CQ500-CT-0 is not 0 or 1")]
    [InlineData(3, "name", "CQ500-CT-0", "scan CQ500-CT-0 listed twice (first on line 2)")]
    [InlineData(3, "name", "scan-12", "name 'scan-12' is not CQ500-CT-<number>")]
    public void Read_BadCell_NamesFileAndLine(int line, string column, string value, string reason)
    {
        using var t = new TempFolder();
        var lines = File.ReadAllLines(Path.Combine(Fixture, "reads.csv"));
        var col = Array.IndexOf(lines[0].Split(','), column);
        var cells = lines[line - 1].Split(',');
        cells[col] = value;
        lines[line - 1] = string.Join(",", cells);
        var path = t.Write("reads.csv", string.Join("\n", lines) + "\n");
        var e = Assert.Throws<DatasetFormatException>(() => Cq500ReadsFile.Read(path));
        Assert.Contains(reason, e.Message);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void Read_MajoritySubtypeWithoutIch_IsMislabelled()
    {
        using var t = new TempFolder();
        var lines = File.ReadAllLines(Path.Combine(Fixture, "reads.csv"));
        var header = lines[0].Split(',');
        var cells = lines[2].Split(','); // CQ500-CT-12: make R1 and R3 read SAH without ICH
        cells[Array.IndexOf(header, "R1:SAH")] = "1";
        cells[Array.IndexOf(header, "R3:SAH")] = "1";
        lines[2] = string.Join(",", cells);
        var path = t.Write("reads.csv", string.Join("\n", lines) + "\n");
        var e = Assert.Throws<LabelContradictionException>(() => Cq500ReadsFile.Read(path));
        Assert.Contains("contradictory labels of scan CQ500-CT-12: majority SAH = 1 but majority ICH = 0", e.Message);
        Assert.Equal(3, e.Line);
    }
}
