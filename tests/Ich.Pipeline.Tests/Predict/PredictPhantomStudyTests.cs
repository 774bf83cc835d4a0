using Ich.Core;
using Ich.Core.Text;
using Ich.Application.Writers;
using Ich.Inference.Pipeline;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

[Collection(TorchSerialCollection.Name)]
public class PredictPhantomStudyTests
{
    [Fact]
    public void Run_CommittedPhantomStudy_WritesEveryOutputMatchingTheStudysOwnLabelsFile()
    {
        var study = Path.Combine(RepoPaths.Root, "samples", "phantom-study");
        var modelDir = TinyModelFolder.Create();
        var outDir = RepoPaths.NewTempDir("ich-predict");
        var summary = JobRun.Paths([study], outDir, modelDir, new PredictorOptions(BatchSize: 8));
        Assert.Equal((1, 0), (summary.Succeeded, summary.Failed));

        // The study's labels.csv (written by the phantom generator) names every slice by SOPInstanceUID.
        var labels = CsvTable.Read(Path.Combine(study, "labels.csv"));
        var sopUids = labels.Rows.Select(r => r[0][..r[0].LastIndexOf('_')]).ToHashSet();
        Assert.Equal(25, sopUids.Count);

        var pred = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Predictions));
        Assert.Equal(["scan_id", "slice_id", "slice_index", "z_mm", .. HemorrhageClasses.Names], pred.Header.Take(10));
        Assert.Equal(25, pred.Rows.Count);
        Assert.Equal(sopUids, pred.Rows.Select(r => r[1]).ToHashSet());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => i.ToString()), pred.Rows.Select(r => r[2]));
        var z = pred.Rows.Select(r => double.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.All(z.Zip(z.Skip(1)), p => Assert.Equal(5.0, p.Second - p.First, 3)); // 5 mm phantom, lowest first

        var sub = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Submission));
        Assert.Equal(["ID", "Label"], sub.Header);
        // One ID convention (RSNA's <SOPInstanceUID>_<subtype>): the generator's label IDs are exactly the submission's.
        Assert.Equal(labels.Rows.Select(r => r[0]).Order(StringComparer.Ordinal), sub.Rows.Select(r => r[0]).Order(StringComparer.Ordinal));

        var scans = CsvTable.Read(Path.Combine(outDir, CsvOutputWriter.Scans));
        Assert.Equal(CsvOutputWriter.ScansHeader.Split(','), scans.Header);
        var row = Assert.Single(scans.Rows);
        Assert.Equal("ok", row[scans.Require("status")]);
        Assert.Equal("25", row[scans.Require("slices")]);
        // The study and series UIDs come from the DICOM files; the generator's own scans.csv is the reference.
        var generated = CsvTable.Read(Path.Combine(study, "scans.csv")).Rows.Single();
        Assert.Equal(generated[2], row[scans.Require("study_instance_uid")]);
        Assert.Equal(generated[3], row[scans.Require("series_instance_uid")]);
        Assert.Equal("", row[scans.Require("accession_number")]); // the phantoms carry an empty AccessionNumber
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Directory.Delete(outDir, true);
        Directory.Delete(modelDir, true);
    }
}
