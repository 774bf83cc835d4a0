using Ich.Core.Errors;
using Ich.Core.Labels;
using Ich.Data.PhysioNet;

namespace Ich.Data.Tests;

public class PhysioNetLabelsTests
{
    private const string Header = "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No";

    [Fact]
    public void Read_MapsColumnsToHemorrhageClassOrder()
    {
        using var t = new TempFolder();
        // Row 2: IVH + SAH; row 3: EDH only; row 4: none.
        var path = t.Write("l.csv", $"\uFEFF{Header}\r\n49,1,1,0,1,0,0,0,1\r\n49,2,0,0,0,1,0,0,0\r\n50,1,0,0,0,0,0,1,0\r\n");
        var labels = PhysioNetLabelFile.Read(path).Items.Values.ToList();
        Assert.Equal(3, labels.Count);
        // Order: any, epidural, intraparenchymal, intraventricular, subarachnoid, subdural.
        Assert.Equal([1f, 0, 0, 1, 1, 0], labels[0].Labels);
        Assert.True(labels[0].Fracture);
        Assert.Equal([1f, 1, 0, 0, 0, 0], labels[1].Labels);
        Assert.Equal([0f, 0, 0, 0, 0, 0], labels[2].Labels);
        Assert.Equal(4, labels[2].Line);
    }

    [Theory]
    [InlineData("49,1,0,0,0,0,0,1,0\n49,1,1,0,0,0,0,0,0\n", 3, "patient 49 slice 1 listed twice (first on line 2) with other values")]
    [InlineData("49,1,0,0,0,0,0,1,0\n49,2,0,1,0,0,0,1,0\n", 3, "contradictory labels of patient 49 slice 2: No_Hemorrhage = 1 but a subtype is 1")]
    [InlineData("49,1,0,0,0,0,0,0,0\n", 2, "contradictory labels of patient 49 slice 1: No_Hemorrhage = 0 but no subtype is 1")]
    [InlineData("49,1,0,0,2,0,0,1,0\n", 2, "Subarachnoid '2' is not 0 or 1")]
    [InlineData("49,x,0,0,0,0,0,1,0\n", 2, "SliceNumber 'x' is not a positive integer")]
    [InlineData("49,1,0,0,0,0,0,1\n", 2, "expected 9 fields, found 8")]
    public void Read_BadRow_NamesFileAndLine(string rows, int line, string reason)
    {
        using var t = new TempFolder();
        var path = t.Write("bad.csv", Header + "\n" + rows);
        var e = Assert.ThrowsAny<DatasetFormatException>(() => PhysioNetLabelFile.Read(path));
        Assert.Equal(line, e.Line);
        Assert.Equal(path, e.Path);
        Assert.Contains(reason, e.Message);
        Assert.StartsWith(path + ": line " + line, e.Message);
    }

    [Fact]
    public void Read_MissingColumn_NamesColumnAndFile()
    {
        using var t = new TempFolder();
        var path = t.Write("nocol.csv", "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,No_Hemorrhage\n49,1,0,0,0,0,1\n");
        var e = Assert.Throws<DatasetFormatException>(() => PhysioNetLabelFile.Read(path));
        Assert.Contains("missing column(s) Subdural", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_MissingFile_NamesFile()
    {
        var e = Assert.Throws<DatasetFormatException>(() => PhysioNetLabelFile.Read("/nonexistent/labels.csv"));
        Assert.Contains("/nonexistent/labels.csv", e.Message);
    }
}
