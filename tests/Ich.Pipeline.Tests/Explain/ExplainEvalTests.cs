using Ich.Cli.Commands;
using Ich.Core.Text;
using Ich.Pipeline.Tests.Predict;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Explain;

[Collection(TorchSerialCollection.Name)]
public class ExplainEvalTests
{
    [Fact]
    public void Run_PhantomStudyWithItsMasks_ScoresEveryMaskedSliceAndClass()
    {
        var study = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-explain");
        var exit = ExplainEvalCommand.Run([Path.Combine(study, "phantom-5-00000")], Path.Combine(study, "masks"), outDir, modelDir, _ => { });
        Assert.Equal(0, exit);
        var csv = CsvTable.Read(Path.Combine(outDir, "explain_eval.csv"));
        Assert.Equal("scan_id,slice_id,slice_index,class,probability,mask_pixels,mask_fraction,pointing_hit,mass_inside".Split(','), csv.Header);
        // The sample has intraparenchymal and intraventricular blood on 5 slices (samples/phantom-study/scans.csv).
        var classes = csv.Rows.Select(r => r[3]).Distinct().Order().ToArray();
        Assert.Equal(["any", "intraparenchymal", "intraventricular"], classes);
        Assert.Equal(5, csv.Rows.Count(r => r[3] == "any"));
        Assert.All(csv.Rows, r => Assert.True(int.Parse(r[5]) > 0));
        Assert.Contains("| **all** |", File.ReadAllText(Path.Combine(outDir, "explain_eval.md")));
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }
}
