using System.Globalization;
using System.Text.Json;
using Ich.Cli.Commands;
using Ich.Inference.Explain;
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
        Assert.Equal("scan_id,slice_id,slice_index,class,probability,mask_pixels,mask_fraction,pointing_hit,mass_inside,explanation".Split(','), csv.Header);
        // The sample has intraparenchymal and intraventricular blood on 5 slices (samples/phantom-study/scans.csv).
        Assert.All(csv.Rows, r => Assert.Equal("gradcam", r[9])); // no decoders: Grad-CAM only
        var classes = csv.Rows.Select(r => r[3]).Distinct().Order().ToArray();
        Assert.Equal(["any", "intraparenchymal", "intraventricular"], classes);
        Assert.Equal(5, csv.Rows.Count(r => r[3] == "any"));
        Assert.All(csv.Rows, r => Assert.True(int.Parse(r[5]) > 0));
        Assert.Contains("| **all** |", File.ReadAllText(Path.Combine(outDir, "explain_eval.md")));
        Assert.Contains("The model has no segmentation decoders", File.ReadAllText(Path.Combine(outDir, "explain_eval.md")));
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "explain_eval.json"))))
        {
            Assert.False(json.RootElement.GetProperty("hasDecoders").GetBoolean());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("predictedMask").ValueKind);
            Assert.Equal(csv.Rows.Count, json.RootElement.GetProperty("gradCam").GetProperty("all").GetProperty("maps").GetInt32());
        }
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    [Fact]
    public void Run_ModelWithDecoders_ScoresThePredictedMaskOfEveryAnyMaskedSlice()
    {
        var study = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var modelDir = TinyModelFolder.Create(decoders: true);
        var outDir = RepoPaths.NewTempDir("ich-explain");
        var exit = ExplainEvalCommand.Run([Path.Combine(study, "phantom-5-00000")], Path.Combine(study, "masks"), outDir, modelDir, _ => { });
        Assert.Equal(0, exit);
        var csv = CsvTable.Read(Path.Combine(outDir, "explain_eval.csv"));
        var gradCamAny = csv.Rows.Where(r => r[9] == "gradcam" && r[3] == "any").Select(r => r[1]).Order().ToArray();
        var predicted = csv.Rows.Where(r => r[9] == "predicted_mask").ToList();
        // The predicted mask is class-agnostic: one score per slice with blood, against the union mask, like Grad-CAM's "any".
        Assert.Equal(5, gradCamAny.Length);
        Assert.Equal(gradCamAny, predicted.Select(r => r[1]).Order().ToArray());
        Assert.All(predicted, r => Assert.Equal("any", r[3]));
        Assert.All(predicted, r => Assert.InRange(double.Parse(r[8], CultureInfo.InvariantCulture), 0, 1));
        var md = File.ReadAllText(Path.Combine(outDir, "explain_eval.md"));
        Assert.Contains("## Predicted mask (segmentation head) against bleed masks", md);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "explain_eval.json")));
        Assert.True(json.RootElement.GetProperty("hasDecoders").GetBoolean());
        var mask = json.RootElement.GetProperty("predictedMask");
        Assert.Equal(5, mask.GetProperty("all").GetProperty("maps").GetInt32());
        Assert.Equal(5, mask.GetProperty("perClass").GetProperty("any").GetProperty("maps").GetInt32());
        var expectedMass = predicted.Average(r => double.Parse(r[8], CultureInfo.InvariantCulture));
        Assert.Equal(expectedMass, mask.GetProperty("all").GetProperty("massInside").GetDouble(), 3);
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    [SkippableFact]
    public void Run_PhysioNetPatient_ScoresGradCamAndPredictedMaskAgainstItsRealMasks()
    {
        var patient = Path.Combine(RepoPaths.RequireShared("physionet-ctich"), "Patients_CT", "049");
        var modelDir = TinyModelFolder.Create(decoders: true);
        var outDir = RepoPaths.NewTempDir("ich-explain");
        var exit = ExplainEvalCommand.Run([patient], null, outDir, modelDir, _ => { });
        Assert.Equal(0, exit);
        // Every non-empty <slice>_HGE_Seg.png of the patient is one "any" score per explanation (real masks have no subtypes).
        var masked = Directory.GetFiles(Path.Combine(patient, "brain"), "*" + PhysioNetMasks.Suffix)
            .Where(f => PhysioNetMasks.Read(f).Mask.Any(v => v)).ToList();
        Assert.NotEmpty(masked);
        var csv = CsvTable.Read(Path.Combine(outDir, "explain_eval.csv"));
        Assert.All(csv.Rows, r => Assert.Equal("any", r[3]));
        Assert.Equal(masked.Count, csv.Rows.Count(r => r[9] == "gradcam"));
        Assert.Equal(masked.Count, csv.Rows.Count(r => r[9] == "predicted_mask"));
        Assert.All(csv.Rows, r => Assert.True(int.Parse(r[5], CultureInfo.InvariantCulture) > 0));
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }
}
