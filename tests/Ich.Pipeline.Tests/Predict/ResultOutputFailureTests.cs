using Ich.Cli.Serving;
using Ich.Core.Errors;
using Ich.Dicom.Model;
using Ich.Dicom.Writing;
using Ich.Pipeline.Tests.Cli;
using Ich.Serve.Work;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// A scan that is predicted but whose viewer page or DICOM results cannot be written: <c>ich predict</c> names it
/// and exits 1 (the other outputs are still written), and the service's study processor fails the attempt with
/// a <see cref="ResultInputException"/> naming the study and the reason, so the study is retried and then marked
/// failed instead of done with a broken report link or results missing in the PACS.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ResultOutputFailureTests
{
    // Perpendicular enough for series assembly (it refuses |row × column| < 0.9), not for the viewer's R/L
    // markers (|row · column| must be ≤ 0.01): the scan is predicted, its viewer page is refused.
    private static readonly double[] SkewedOrientation = [1, 0, 0, 0.1, 0.995, 0];
    private static readonly double[] Axial = [1, 0, 0, 0, 1, 0];

    // The DICOM result objects take the model name as printable ASCII (Algorithm.Name); the viewer takes any text.
    private const string NonAsciiModelName = "tiny-modèle";

    [Fact]
    public void IchPredict_ScanWhoseViewerPageCannotBeWritten_ExitsOne_NamingIt_AndWritesTheRest()
    {
        var (study, model, outDir) = (WriteStudy(SkewedOrientation), TinyModelFolder.Create(), RepoPaths.NewTempDir("ich-out"));
        var run = CliRun.Ich("predict", study.Folder, "--out", outDir, "--model", model, "--dicom");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("no viewer page: orientation: row and column directions must be orthogonal", run.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "scans.csv")), run.ToString());
        Assert.True(File.Exists(Path.Combine(outDir, "dicom", study.StudyUid, "sr.dcm")), run.ToString()); // the other outputs are still written
        Assert.Empty(Directory.Exists(Path.Combine(outDir, "viewer")) ? Directory.GetFiles(Path.Combine(outDir, "viewer")) : []);
        Cleanup(study.Folder, model, outDir);
    }

    [Fact]
    public void IchPredict_ScanWhoseDicomResultsCannotBeWritten_ExitsOne_NamingIt_AndWritesTheRest()
    {
        var (study, model, outDir) = (WriteStudy(Axial), TinyModelFolder.Create(name: NonAsciiModelName), RepoPaths.NewTempDir("ich-out"));
        var run = CliRun.Ich("predict", study.Folder, "--out", outDir, "--model", model, "--dicom");
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"no DICOM results: study {study.StudyUid}: Algorithm.Name has a character outside printable ASCII", run.Stderr, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(outDir, "viewer"), "*.html"));
        Assert.False(Directory.Exists(Path.Combine(outDir, "dicom", study.StudyUid)), run.ToString());
        Cleanup(study.Folder, model, outDir);
    }

    [Fact]
    public async Task ServeProcessor_StudyWhoseViewerPageCannotBeWritten_FailsTheAttempt_WithTheReason()
    {
        var (study, model) = (WriteStudy(SkewedOrientation), TinyModelFolder.Create());
        var work = RepoPaths.NewTempDir("ich-work");
        using (var processor = new PredictionStudyProcessor(model))
        {
            var e = await Assert.ThrowsAsync<ResultInputException>(() => processor.ProcessAsync(new StudyWorkItem(study.StudyUid, study.Folder, work, 1), CancellationToken.None));
            Assert.Contains($"study {study.StudyUid}", e.Message, StringComparison.Ordinal);
            Assert.Contains("no viewer page: orientation: row and column directions must be orthogonal", e.Message, StringComparison.Ordinal);
        }
        Cleanup(study.Folder, model, work);
    }

    [Fact]
    public async Task ServeProcessor_StudyWhoseDicomResultsCannotBeWritten_FailsTheAttempt_WithTheReason()
    {
        var (study, model) = (WriteStudy(Axial), TinyModelFolder.Create(name: NonAsciiModelName));
        var work = RepoPaths.NewTempDir("ich-work");
        using (var processor = new PredictionStudyProcessor(model))
        {
            var e = await Assert.ThrowsAsync<ResultInputException>(() => processor.ProcessAsync(new StudyWorkItem(study.StudyUid, study.Folder, work, 1), CancellationToken.None));
            Assert.Contains($"study {study.StudyUid}", e.Message, StringComparison.Ordinal);
            Assert.Contains($"no DICOM results: study {study.StudyUid}: Algorithm.Name has a character outside printable ASCII", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("no viewer page", e.Message, StringComparison.Ordinal);
        }
        Cleanup(study.Folder, model, work);
    }

    [Fact]
    public async Task ServeProcessor_ControlStudy_WithEveryOutputWritable_IsDone()
    {
        var (study, model) = (WriteStudy(Axial), TinyModelFolder.Create());
        var work = RepoPaths.NewTempDir("ich-work");
        using (var processor = new PredictionStudyProcessor(model))
        {
            var result = await processor.ProcessAsync(new StudyWorkItem(study.StudyUid, study.Folder, work, 1), CancellationToken.None);
            Assert.Equal(3, result.Slices.Count);
            Assert.True(File.Exists(Path.Combine(work, result.ReportFile!)));
            Assert.Contains(result.DicomFiles, f => f.EndsWith("sr.dcm", StringComparison.Ordinal));
        }
        Cleanup(study.Folder, model, work);
    }

    /// <summary>A three-slice 64×64 head-like CT series (air, skull ring, brain) with the given ImageOrientationPatient.</summary>
    private static (string StudyUid, string Folder) WriteStudy(double[] orientation)
    {
        var folder = RepoPaths.NewTempDir("ich-study");
        var tag = Guid.NewGuid().ToString("N");
        var study = DicomUids.FromSeed(1, "result failure study " + tag);
        const int size = 64;
        for (var s = 0; s < 3; s++)
        {
            var stored = new short[size * size];
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    var r = Math.Sqrt((x - 32.0) * (x - 32.0) + (y - 32.0) * (y - 32.0));
                    var hu = r > 28 ? -1000 : r > 25 ? 1000 : 35 + (x + y + s) % 5;
                    stored[y * size + x] = (short)(hu + 1024);
                }
            var description = new CtImageDescription
            {
                PatientId = "FAIL-PATH",
                PatientName = "Test^Failure",
                StudyInstanceUid = study,
                SeriesInstanceUid = DicomUids.FromSeed(1, "result failure series " + tag),
                SopInstanceUid = DicomUids.FromSeed((ulong)s, "result failure sop " + tag),
                FrameOfReferenceUid = DicomUids.FromSeed(1, "result failure frame " + tag),
                Rows = size,
                Columns = size,
                PixelSpacing = (3.5, 3.5),
                ImagePosition = (-112, -112, s * 5.0),
                ImageOrientation = orientation,
                SliceThicknessMm = 5,
                Encoding = new CtPixelEncoding(12, false, -1024),
                InstanceNumber = s + 1,
            };
            DicomFileWriter.Write(Path.Combine(folder, $"ct{s + 1}.dcm"), CtImageDataset.Build(description, stored), TransferSyntaxes.ExplicitVRLittleEndian);
        }
        return (study, folder);
    }

    private static void Cleanup(params string[] folders)
    {
        foreach (var f in folders) Directory.Delete(f, recursive: true);
    }
}
