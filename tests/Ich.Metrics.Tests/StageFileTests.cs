using Ich.Core.Errors;
using Ich.Metrics.Evaluation;
using Ich.TestKit;

namespace Ich.Metrics.Tests;

/// <summary>
/// <see cref="StageFile"/>: stages.csv of <c>ich predict --stages</c> read as one predictions set per output; the mean of
/// outputs per slice; every bad row or uneven coverage a typed error naming the file (and the line where there is one).
/// </summary>
public sealed class StageFileTests : IDisposable
{
    private const string Header = "scan_id,slice_id,slice_index,output,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural";
    private readonly string _dir = RepoPaths.NewTempDir("ich-metrics-stages");

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "stages.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private const string TwoOutputs =
        Header + "\n" +
        "s1,a,0,cnn:r,0.2,0.1,0.0,0.0,0.0,0.1\n" +
        "s1,b,1,cnn:r,0.6,0.1,0.4,0.0,0.0,0.1\n" +
        "s1,a,0,seq2:r,0.4,0.3,0.2,0.0,1.0,0.0\n" +
        "s1,b,1,seq2:r,0.8,0.5,0.0,0.2,0.0,0.3\n";

    [Fact]
    public void Read_OutputsInFileOrder_EachWithItsRowsAndUnknownZ()
    {
        var file = StageFile.Read(Write(TwoOutputs));

        Assert.Equal(["cnn:r", "seq2:r"], file.Outputs);
        var seq2 = file.Rows("seq2:r");
        Assert.Equal(["a", "b"], seq2.Select(r => r.SliceId));
        Assert.Equal([0.8, 0.5, 0.0, 0.2, 0.0, 0.3], seq2[1].Probabilities);
        Assert.All(seq2, r => Assert.True(double.IsNaN(r.ZMm)));
        Assert.Equal(5, seq2[1].Line);
    }

    [Fact]
    public void Mean_IsThePerSliceAverageOfTheOutputs()
    {
        var file = StageFile.Read(Write(TwoOutputs));

        var mean = file.Mean(["cnn:r", "seq2:r"]);

        Assert.Equal(["a", "b"], mean.Select(r => r.SliceId));
        double[][] expected = [[0.3, 0.2, 0.1, 0.0, 0.5, 0.05], [0.7, 0.3, 0.2, 0.1, 0.0, 0.2]];
        for (var i = 0; i < 2; i++)
            for (var c = 0; c < 6; c++)
                Assert.Equal(expected[i][c], mean[i].Probabilities[c], 12);
        Assert.Equal([0.2, 0.1, 0.0, 0.0, 0.0, 0.1], file.Rows("cnn:r")[0].Probabilities); // the outputs' own rows are untouched
    }

    [Fact]
    public void RowsOrMean_UnknownOutput_ConfigErrorListingTheOutputs()
    {
        var file = StageFile.Read(Write(TwoOutputs));

        var e = Assert.Throws<ConfigException>(() => file.Mean(["cnn:r", "seq1:r"]));
        Assert.Contains("'seq1:r'", e.Message);
        Assert.Contains("cnn:r, seq2:r", e.Message);
    }

    [Theory]
    [InlineData("s1,a,0,cnn:r,0.2,0.1,0.0,0.0,0.0,0.1", 3, "duplicate row for scan 's1' slice 'a' output 'cnn:r' (first on line 2)")]
    [InlineData("s1,b,1,cnn:r,0.2,0.1,1.5,0.0,0.0,0.1", 3, "outside [0, 1]")]
    [InlineData("s1,b,1,,0.2,0.1,0.5,0.0,0.0,0.1", 3, "empty output")]
    [InlineData("s1,b,x,cnn:r,0.2,0.1,0.5,0.0,0.0,0.1", 3, "slice_index")]
    public void Read_BadRow_NamesFileAndLine(string badRow, int line, string fragment)
    {
        var path = Write($"{Header}\ns1,a,0,cnn:r,0.2,0.1,0.0,0.0,0.0,0.1\n{badRow}\n");

        var e = Assert.IsAssignableFrom<DatasetFormatException>(Record.Exception(() => StageFile.Read(path)));
        Assert.Equal(line, e.Line);
        Assert.Contains(fragment, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_PredictionsFileInstead_SaysItIsNotAStagesFile()
    {
        var path = Write("scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural\ns,a,0,0,0.1,0.1,0.1,0.1,0.1,0.1\n");

        var e = Assert.IsAssignableFrom<DatasetFormatException>(Record.Exception(() => StageFile.Read(path)));
        Assert.Contains("not a stages file", e.Message);
        Assert.Contains("output", e.Message);
    }

    [Theory]
    [InlineData("s1,c,2,seq2:r,0.1,0.1,0.1,0.1,0.1,0.1", "output 'seq2:r' has scan 's1' slice 'c', which 'cnn:r' lacks")]
    [InlineData("", "output 'seq2:r' lacks scan 's1' slice 'b', which 'cnn:r' has")]
    public void Read_OutputsCoverDifferentSlices_Refused(string lastRow, string fragment)
    {
        var text = Header + "\ns1,a,0,cnn:r,0.2,0.1,0.0,0.0,0.0,0.1\ns1,b,1,cnn:r,0.6,0.1,0.4,0.0,0.0,0.1\ns1,a,0,seq2:r,0.4,0.3,0.2,0.0,1.0,0.0\n" +
                   (lastRow.Length > 0 ? lastRow + "\n" : "");

        var e = Assert.IsAssignableFrom<DatasetFormatException>(Record.Exception(() => StageFile.Read(Write(text))));
        Assert.Contains(fragment, e.Message);
    }

    [Theory]
    [InlineData("seq1:a+seq2:a", new[] { "seq1:a", "seq2:a" })]
    [InlineData(" cnn:a + seq2:b ", new[] { "cnn:a", "seq2:b" })]
    [InlineData("seq2:a", new[] { "seq2:a" })]
    public void ParseMean_SplitsOnPlus(string text, string[] expected) => Assert.Equal(expected, StageFile.ParseMean(text));

    [Theory]
    [InlineData("", "expected outputs joined by '+'")]
    [InlineData("a++b", "expected outputs joined by '+'")]
    [InlineData("a+b+a", "lists an output twice")]
    public void ParseMean_Bad_ConfigError(string text, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<ConfigException>(() => StageFile.ParseMean(text)).Message);
}
