using System.Globalization;
using Ich.Core;
using Ich.Core.Text;
using Ich.Application.Writers;
using Ich.Inference.Pipeline;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

[Collection(TorchSerialCollection.Name)]
public class PredictEndToEndTests
{
    [Fact]
    public void Run_GoodAndBadScans_WritesEveryOutputWithItsSchemaAndFailsOnlyTheBadOnes()
    {
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");
        ScanInput[] inputs =
        [
            new("/virtual/good-a", SyntheticScans.Dicom("A", 8), null, SliceIdsAreSopInstanceUids: true, SeriesDecision: "only series",
                Dicom: new DicomIdentity("1.2.3.4", "1.2.3.4.5", "ACC-77")),
            new("/virtual/good-b", SyntheticScans.Dicom("B", 5), null, SliceIdsAreSopInstanceUids: true),
            new("/virtual/single", SyntheticScans.Dicom("S", 1), null, true),
            new("/virtual/mr", SyntheticScans.MrLike("M"), null, true),
            new("/virtual/corrupt", SyntheticScans.Corrupt("C"), null, true),
            ScanInput.Failed("/no/such/path", "path not found or not readable"),
        ];
        var summary = JobRun.Scans(inputs, outDir, modelDir, new PredictorOptions(BatchSize: 3));
        Assert.Equal((2, 4), (summary.Succeeded, summary.Failed));

        // predictions.csv: one row per slice of the two good scans, probabilities in [0, 1].
        var pred = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Predictions));
        Assert.Equal(["scan_id", "slice_id", "slice_index", "z_mm", .. HemorrhageClasses.Names], pred.Header.Take(10));
        Assert.Equal(13, pred.Rows.Count);
        Assert.Equal("1.2.826.0.1.3680043.9.A.1", pred.Rows[0][1]);
        Assert.Equal("0", pred.Rows[0][2]);
        Assert.Equal("100", pred.Rows[0][3]);
        Assert.All(pred.Rows, r => Assert.All(r.Fields.Skip(4).Take(6), v => Assert.InRange(double.Parse(v, CultureInfo.InvariantCulture), 0, 1)));

        // submission.csv: RSNA long format, six rows per slice.
        var sub = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Submission));
        Assert.Equal(["ID", "Label"], sub.Header);
        Assert.Equal(13 * 6, sub.Rows.Count);
        Assert.Equal("1.2.826.0.1.3680043.9.A.1_any", sub.Rows[0][0]);
        Assert.Equal("1.2.826.0.1.3680043.9.A.1_subdural", sub.Rows[5][0]);
        Assert.Equal(pred.Rows[0][4], sub.Rows[0][1]);

        // scans.csv: every input, status and a clear error for each bad one.
        var scans = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Scans));
        Assert.Equal(CsvOutputWriter.ScansHeader.Split(','), scans.Header);
        Assert.Equal(6, scans.Rows.Count);
        string Status(int i) => scans.Rows[i][scans.Require("status")];
        string Error(int i) => scans.Rows[i][scans.Require("error")];
        Assert.Equal("ok", Status(0));
        Assert.Equal("ok", Status(1));
        Assert.Contains("single slice", Error(2));
        Assert.Contains("Hounsfield", Error(3));
        Assert.Contains("pixel data truncated", Error(4));
        Assert.Contains("/virtual/C/2.dcm", Error(4));
        Assert.Contains("not found", Error(5));
        Assert.All(Enumerable.Range(2, 4), i => Assert.Equal("failed", Status(i)));
        var maxAny = double.Parse(scans.Rows[0][scans.Require("max_any")], CultureInfo.InvariantCulture);
        var perSliceAny = pred.Rows.Where(r => r[0] == "A").Max(r => double.Parse(r[4], CultureInfo.InvariantCulture));
        Assert.Equal(perSliceAny, maxAny, 5);
        Assert.Equal(maxAny >= 0.05 ? "1" : "0", scans.Rows[0][scans.Require("triage")]);

        // Identity columns appended for PACS-side joins: study/series/accession from the DICOM identity, empty when absent;
        // model name/version from the model folder's model.json (TinyModelFolder).
        Assert.Equal(["study_instance_uid", "series_instance_uid", "accession_number", "model_name", "model_version"], scans.Header.TakeLast(5));
        Assert.Equal(["study_instance_uid", "series_instance_uid", "accession_number", "model_name", "model_version"], pred.Header.TakeLast(5));
        Assert.Equal(["1.2.3.4", "1.2.3.4.5", "ACC-77", "tiny-untrained-test-model", "0.0.1"], scans.Rows[0].Fields.TakeLast(5));
        Assert.Equal(["", "", "", "tiny-untrained-test-model", "0.0.1"], scans.Rows[1].Fields.TakeLast(5));
        Assert.All(pred.Rows.Where(r => r[0] == "A"), r => Assert.Equal(["1.2.3.4", "1.2.3.4.5", "ACC-77", "tiny-untrained-test-model", "0.0.1"], r.Fields.TakeLast(5)));

        // Grad-CAM overlays (threshold 0.05: the untrained model flags slices) and a self-contained report.
        var pngs = Directory.GetFiles(Path.Combine(outDir, "gradcam"), "*.png", SearchOption.AllDirectories);
        Assert.NotEmpty(pngs);
        Assert.All(pngs, p => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(p).Take(4).ToArray()));
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("Test fixture only: untrained weights", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("<svg", html);
        Assert.Contains("only series", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(scans.Rows.Select(r => r[0]), summary.Scans.Select(s => s.ScanId));
        Assert.Contains("single slice", summary.Scans[2].Error);
        Assert.True(summary.Scans[0].Triage == (maxAny >= 0.05));
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }

    [Fact]
    public void Run_GradCamNone_WritesNoOverlays()
    {
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");
        var summary = JobRun.Scans([new ScanInput("/virtual/a", SyntheticScans.Dicom("A", 4), null)], outDir, modelDir,
            new PredictorOptions(GradCam: GradCamMode.None));
        Assert.Equal((1, 0), (summary.Succeeded, summary.Failed));
        Assert.False(Directory.Exists(Path.Combine(outDir, "gradcam")));
        Assert.False(File.Exists(Path.Combine(outDir, CsvOutputWriter.Submission)), "no DICOM input → no submission.csv");
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }
}
