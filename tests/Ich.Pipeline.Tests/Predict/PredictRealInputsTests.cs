using System.Security.Cryptography;
using Ich.Core.Text;
using Ich.Application.Writers;
using Ich.Inference.Pipeline;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

[Collection(TorchSerialCollection.Name)]
public class PredictRealInputsTests
{
    [SkippableFact]
    public void Run_RealHeadCtMrCorruptAndMissingInputs_PredictsTheCtReportsTheRestAndModifiesNothing()
    {
        var philips = RepoPaths.RequireShared("realdata/headct/dcm_qa_ct_Philips_S2010");
        var mr = RepoPaths.RequireShared("realdata/conformance/pydicom/MR_small.dcm");
        var physio = RepoPaths.RequireShared("physionet-ctich/Patients_CT/049");
        var bad = RepoPaths.NewTempDir("ich-bad");
        File.WriteAllBytes(Path.Combine(bad, "junk.dcm"), "this is not DICOM at all"u8.ToArray());
        var inputs = new[] { philips, mr, physio, bad, "/no/such/folder" };
        var before = Snapshot(philips, Path.GetDirectoryName(mr)!, physio, bad);

        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");
        var summary = JobRun.Paths(inputs, outDir, modelDir, new PredictorOptions(BatchSize: 8, GradCam: GradCamMode.None));

        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(3, summary.Failed);
        var scans = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Scans));
        var rows = scans.Rows.Select(r => (Source: r[scans.Require("source")], Status: r[scans.Require("status")], Error: r[scans.Require("error")],
            Slices: r[scans.Require("slices")], ScanId: r[0])).ToList();
        var ct = Assert.Single(rows, r => r.Source == philips);
        Assert.Equal("ok", ct.Status);
        Assert.Equal("28", ct.Slices);
        var mrRow = Assert.Single(rows, r => r.Source == mr);
        Assert.Equal("failed", mrRow.Status);
        Assert.Contains("MR", mrRow.Error);
        var physioRow = Assert.Single(rows, r => r.Source == physio);
        Assert.Equal("ok", physioRow.Status);
        Assert.Equal("049", physioRow.ScanId);
        var badRow = Assert.Single(rows, r => r.Source == bad);
        Assert.Equal("failed", badRow.Status);
        Assert.Contains("junk.dcm", badRow.Error);
        Assert.Contains(rows, r => r.Source == "/no/such/folder" && r.Error.Contains("not found"));

        // PhysioNet slice IDs are slice numbers; DICOM ones SOPInstanceUIDs (and only DICOM goes to submission.csv).
        var pred = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Predictions));
        // Patient 049's lowest image is 2.jpg: slice_id 2, index 0, z = (2 − 1) · 5 mm.
        Assert.Contains(pred.Rows, r => r[0] == "049" && r[1] == "2" && r[2] == "0" && r[3] == "5");
        var sub = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Submission));
        Assert.Equal(28 * 6, sub.Rows.Count);
        Assert.DoesNotContain(sub.Rows, r => r[0].StartsWith("1_", StringComparison.Ordinal));

        Assert.Equal(before, Snapshot(philips, Path.GetDirectoryName(mr)!, physio, bad));
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
        Directory.Delete(bad, true);
    }

    /// <summary>Every file under the folders with its size, modification time and SHA-256.</summary>
    private static List<string> Snapshot(params string[] folders) =>
        folders.SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal)
            .Select(p => $"{p}|{new FileInfo(p).Length}|{File.GetLastWriteTimeUtc(p):O}|{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}")
            .Append($"count:{folders.Sum(f => Directory.EnumerateFileSystemEntries(f, "*", SearchOption.AllDirectories).Count())}")
            .ToList();
}
