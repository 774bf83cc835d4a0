using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using Ich.TestKit;

namespace Ich.Metrics.Tests;

/// <summary>Bad files give a typed error naming the file and the line, never a crash or a silent skip.</summary>
public sealed class BadInputTests : IDisposable
{
    private const string Header = "scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural";
    private readonly string _dir = RepoPaths.NewTempDir("ich-metrics-bad");

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertError(Exception e, string path, int? line, string fragment)
    {
        var error = Assert.IsAssignableFrom<DatasetFormatException>(e);
        Assert.Equal(path, error.Path);
        Assert.Equal(line, error.Line);
        Assert.Contains(fragment, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("s1,a,0,0.0,0.1,0.1,0.1,0.1,0.1", 3, "expected 10 fields")]
    [InlineData("s1,a,0,0.0,1.5,0.1,0.1,0.1,0.1,0.1", 3, "outside [0, 1]")]
    [InlineData("s1,a,0,0.0,0.1,NaN,0.1,0.1,0.1,0.1", 3, "NaN")]
    [InlineData("s1,a,0,0.0,0.1,0.1,abc,0.1,0.1,0.1", 3, "not a number")]
    [InlineData("s1,a,0,0.0,0.1,0.1,0.1,-0.01,0.1,0.1", 3, "outside [0, 1]")]
    [InlineData("s1,a,x,0.0,0.1,0.1,0.1,0.1,0.1,0.1", 3, "slice_index")]
    [InlineData("s1,x,1,5.0,0.1,0.1,0.1,0.1,0.1,0.1", 3, "duplicate prediction")]
    public void PredictionFileRead_BadRow_NamesFileAndLine(string badRow, int line, string fragment)
    {
        var path = Write("predictions.csv", $"{Header}\ns1,x,0,0.0,0.1,0.1,0.1,0.1,0.1,0.1\n{badRow}\n");
        AssertError(Record.Exception(() => PredictionFile.Read(path))!, path, line, fragment);
    }

    [Fact]
    public void PredictionFileRead_MissingColumn_NamesIt()
    {
        var path = Write("p.csv", "scan_id,slice_id,any\ns,a,0.1\n");
        AssertError(Record.Exception(() => PredictionFile.Read(path))!, path, 1, "slice_index");
    }

    [Fact]
    public void PredictionFileRead_UnknownZ_IsNaNNotAnError()
    {
        var path = Write("p.csv", $"{Header}\n049,1,0,,0.1,0.1,0.1,0.1,0.1,0.1\n");
        Assert.True(double.IsNaN(PredictionFile.Read(path)[0].ZMm));
    }

    [Fact]
    public void RsnaLabels_PhysionetFilePassed_SaysWrongFormat()
    {
        var path = Write("hemorrhage_diagnosis.csv",
            "\uFEFFPatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No\n49,1,0,0,0,0,0,1,0\n");
        AssertError(Record.Exception(() => LabelSet.Read(path, LabelFormat.Rsna))!, path, 1, "not a rsna label file");
        AssertError(Record.Exception(() => LabelSet.Read(path, LabelFormat.Cq500))!, path, 1, "not a cq500 label file");
    }

    [Theory]
    [InlineData("ID_a_any,1\nID_a_any,0\n", 3, "contradictory duplicate")]
    [InlineData("ID_a_any,0.5\n", 2, "not 0 or 1")]
    [InlineData("ID_a_hemorrhage,1\n", 2, "<SOP>_<subtype>")]
    [InlineData("ID_a_any,1\nID_a_epidural,0\n", 2, "no row for intraparenchymal")]
    public void RsnaLabels_BadRows_NameFileAndLine(string rows, int line, string fragment)
    {
        var path = Write("labels.csv", "ID,Label\n" + rows);
        AssertError(Record.Exception(() => LabelSet.Read(path, LabelFormat.Rsna))!, path, line, fragment);
    }

    [Fact]
    public void RsnaLabels_SubtypeWithoutAny_IsRejectedAsTrainingRejectsIt()
    {
        // Evaluation used to accept this row set while the training reader rejected it; one reader now decides.
        var rows = string.Concat(Ich.Core.HemorrhageClasses.Names.Select(n => $"ID_abc_{n},{(n == "subdural" ? 1 : 0)}\n"));
        var path = Write("labels.csv", "ID,Label\n" + rows);
        var e = Assert.Throws<LabelContradictionException>(() => LabelSet.Read(path, LabelFormat.Rsna));
        Assert.Equal((path, 2, "image ID_abc"), (e.Path, e.Line, e.Item));
        Assert.Contains("subdural = 1 but any = 0", e.Message);
    }

    [Fact]
    public void RsnaLabels_IdenticalDuplicates_AreDroppedAndCounted()
    {
        var rows = string.Concat(Ich.Core.HemorrhageClasses.Names.Select(n => $"ID_abc_{n},{(n == "any" || n == "subdural" ? 1 : 0)}\n"));
        var path = Write("labels.csv", "ID,Label\n" + rows + "ID_abc_any,1\nID_abc_subdural,1\n");
        var set = LabelSet.Read(path, LabelFormat.Rsna);
        Assert.Equal(2, set.DuplicateRows);
        Assert.Equal([true, false, false, false, false, true], set.Items["ID_abc"]);
    }

    [Theory]
    [InlineData("49,1,0,0,0,0,0,0,0", "No_Hemorrhage = 0 but no subtype")]
    [InlineData("49,1,1,0,0,0,0,1,0", "No_Hemorrhage = 1 but a subtype")]
    [InlineData("49,x,0,0,0,0,0,1,0", "SliceNumber")]
    public void PhysionetLabels_Inconsistent_NamesFileAndLine(string row, string fragment)
    {
        var path = Write("hd.csv",
            "\uFEFFPatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No\r\n50,1,0,0,0,0,0,1,0\r\n" + row + "\r\n");
        AssertError(Record.Exception(() => LabelSet.Read(path, LabelFormat.Physionet))!, path, 3, fragment);
    }

    [Fact]
    public void Cq500Reads_BadName_NamesFileAndLine()
    {
        var header = "name,Category," + string.Join(",", Enumerable.Range(1, 3).SelectMany(r => new[] { "ICH", "IPH", "IVH", "SDH", "EDH", "SAH" }.Select(f => $"R{r}:{f}")));
        var path = Write("reads.csv", header + "\nscan-7,B1," + string.Join(",", Enumerable.Repeat("0", 18)) + "\n");
        AssertError(Record.Exception(() => LabelSet.Read(path, LabelFormat.Cq500))!, path, 2, "CQ500-CT-<number>");
    }

    [Fact]
    public void Cq500Reads_MajoritySubtypeWithoutMajorityIch_IsAnError()
    {
        var findings = new[] { "ICH", "IPH", "IVH", "SDH", "EDH", "SAH" };
        var header = "name," + string.Join(",", Enumerable.Range(1, 3).SelectMany(r => findings.Select(f => $"R{r}:{f}")));
        // Every reader marks IPH; only R1 marks ICH.
        var reads = string.Join(",", Enumerable.Range(1, 3).SelectMany(r => new[] { r == 1 ? "1" : "0", "1", "0", "0", "0", "0" }));
        var path = Write("reads.csv", $"{header}\nCQ500-CT-4,{reads}\n");
        AssertError(Record.Exception(() => LabelSet.Read(path, LabelFormat.Cq500))!, path, 2, "majority IPH = 1 but majority ICH = 0");
    }

    [Theory]
    [InlineData("CQ500-CT-12", "CQ500-CT-12")]
    [InlineData("CQ500CT12", "CQ500-CT-12")]
    [InlineData("CQ500CT12 CQ500CT12", "CQ500-CT-12")]
    [InlineData("CQ500-CT-012/CT 0.625mm", "CQ500-CT-12")]
    [InlineData("cq500ct3/series-2", "CQ500-CT-3")]
    [InlineData("CQ500CT12 CQ500CT13", null)]
    [InlineData("patient12", null)]
    public void Cq500ScanKey_AcceptedForms_Canonicalised(string id, string? expected) =>
        Assert.Equal(expected, Cq500ReadsFile.ScanKey(id));

    [Fact]
    public void EvaluatorRun_NoIdMatches_FailsNamingThePredictionsFile()
    {
        var predictions = Write("p.csv", $"{Header}\nscanA,ID_zzz,0,0.0,0.1,0.1,0.1,0.1,0.1,0.1\n");
        var labels = Write("l.csv", "ID,Label\n" + string.Concat(Ich.Core.HemorrhageClasses.Names.Select(n => $"ID_abc_{n},0\n")));
        var e = Assert.Throws<DatasetFormatException>(() =>
            Evaluator.Run("x", predictions, labels, LabelFormat.Rsna, new EvaluationOptions { BootstrapResamples = 5 }));
        Assert.Equal(predictions, e.Path);
        Assert.Contains("no prediction matched", e.Message);
        Assert.Contains("ID_zzz", e.Message);
    }

    [Fact]
    public void ThresholdSetRead_NotMetricsJson_IsConfigError()
    {
        var path = Write("t.json", "{\"slice\": {}}");
        var e = Assert.Throws<ConfigException>(() => ThresholdSet.Read(path));
        Assert.Contains("thresholds", e.Message);
        var bad = Write("u.json", "{\"thresholds\": {\"slice\": {\"any\": \"high\"}}}");
        Assert.Throws<ConfigException>(() => ThresholdSet.Read(bad));
    }

    [Fact]
    public void EvaluationOptionsValidate_TwoRules_IsConfigError() =>
        Assert.Throws<ConfigException>(() => new EvaluationOptions { FixedThreshold = 0.5, TargetSensitivity = 0.95 }.Validate());
}
