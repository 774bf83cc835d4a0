using Ich.DicomResults;
using Ich.DicomResults.Input;
using Ich.DicomResults.Tests;
using Ich.TestKit;
using Xunit.Abstractions;

namespace Ich.DicomWeb.Tests;

/// <summary>
/// Round trip through a real PACS: DCMTK storescu stores the source study in Debian's Orthanc, the result writers
/// make SR, KOS and captures for it, the STOW-RS client sends them, and QIDO-RS finds them in the same study.
/// </summary>
public sealed class OrthancRoundTripTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] ExpectedModalities = ["CT", "KO", "OT", "SR"];
    private readonly string _dir = RepoPaths.NewTempDir("ich-roundtrip");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public async Task ResultObjects_StoredByStow_AreFoundByQido_InTheSourceStudy()
    {
        OrthancServer.RequireInstalled();
        ToolRunner.Require("storescu", "dcmtk");
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        using var orthanc = new OrthancServer();

        var store = ToolRunner.Run("storescu", ["-to", "20", "-ta", "20", "-td", "20", "-aet", OrthancServer.CallingAet,
            "-aec", orthanc.CalledAet, "127.0.0.1", orthanc.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. source.Paths]);
        Assert.True(store.ExitCode == 0, $"storescu failed: {store.Stdout}{store.Stderr}\n{orthanc.LogText}");

        var input = source.ResultInput();
        var set = DicomResultWriter.Write(input, Path.Combine(_dir, "out"));
        using var http = orthanc.NewHttpClient();
        var client = new DicomWebClient(http, new DicomWebClientOptions { BaseUri = orthanc.DicomWebRoot, MaxAttempts = 2 });

        var stow = await client.StoreFilesAsync(set.Files.Select(f => f.Path), source.StudyUid);
        Assert.True(stow.AllStored, $"failed: {string.Join(", ", stow.Failed)}");
        Assert.Equal(200, stow.StatusCode);
        Assert.Equal(set.Files.Select(f => f.SopInstanceUid).Order(), stow.Stored.Select(s => s.SopInstanceUid).Order());
        Assert.All(stow.Stored, s => Assert.Equal(set.Files.Single(f => f.SopInstanceUid == s.SopInstanceUid).SopClassUid, s.SopClassUid));

        // The study is found by patient and carries the source identity (Orthanc decodes ISO_IR 100 itself).
        var studies = await client.SearchStudiesAsync(new QidoQuery { Match = new Dictionary<string, string> { ["PatientID"] = "ICHRES01" } });
        var study = Assert.Single(studies);
        Assert.Equal(source.StudyUid, study.GetString(DicomJsonTags.StudyInstanceUid));
        Assert.Equal(source.PatientName, study.GetString(DicomJsonTags.PatientName));

        // One study, four series: the source CT (via storescu) and SR, KO, OT (via STOW-RS).
        var series = await client.SearchSeriesAsync(source.StudyUid);
        var byModality = series.ToDictionary(s => s.GetString(DicomJsonTags.Modality)!, s => s.GetString(DicomJsonTags.SeriesInstanceUid)!);
        output.WriteLine(string.Join(", ", byModality.Keys));
        Assert.Equal(ExpectedModalities, byModality.Keys.Order());
        Assert.Equal(set.Report.SeriesInstanceUid, byModality["SR"]);
        Assert.Equal(set.KeyObjects!.SeriesInstanceUid, byModality["KO"]);

        var ct = await client.SearchInstancesAsync(source.StudyUid, byModality["CT"]);
        Assert.Equal(SourceStudyFixture.SliceCount, ct.Count);
        var sr = await client.SearchInstancesAsync(source.StudyUid, byModality["SR"]);
        Assert.Equal(set.Report.SopInstanceUid, Assert.Single(sr).GetString(DicomJsonTags.SopInstanceUid));
        var captures = await client.SearchInstancesAsync(source.StudyUid, byModality["OT"]);
        Assert.Equal(set.Captures.Select(c => c.SopInstanceUid).Order(), captures.Select(c => c.GetString(DicomJsonTags.SopInstanceUid)).Order());

        // Study-level search by a result-only attribute: the SR is found among the study's instances by its class.
        var byClass = await client.SearchInstancesAsync(source.StudyUid, query: new QidoQuery
        {
            Match = new Dictionary<string, string> { ["SOPClassUID"] = "1.2.840.10008.5.1.4.1.1.88.59" },
        });
        Assert.Equal(set.KeyObjects.SopInstanceUid, Assert.Single(byClass).GetString(DicomJsonTags.SopInstanceUid));

        // The slices the KOS and SR reference are instances of the PACS's copy of the source series.
        var referenced = input.Findings.SelectMany(f => f.TopSliceIndices).Distinct().Select(i => input.Series.Instances[i]);
        foreach (var r in referenced)
        {
            var hit = await client.SearchInstancesAsync(source.StudyUid, input.Series.SeriesInstanceUid, new QidoQuery
            {
                Match = new Dictionary<string, string> { ["SOPInstanceUID"] = r.SopInstanceUid },
            });
            Assert.Equal(r.SopClassUid, Assert.Single(hit).GetString(DicomJsonTags.SopClassUid));
        }
    }

    [SkippableFact]
    public async Task StowToAnotherStudy_IsRefusedPerInstance_AndUnknownQidoPathIsATypedError()
    {
        OrthancServer.RequireInstalled();
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        using var orthanc = new OrthancServer();
        using var http = orthanc.NewHttpClient();
        var client = new DicomWebClient(http, new DicomWebClientOptions { BaseUri = orthanc.DicomWebRoot, MaxAttempts = 1 });
        // Posting to studies/{other uid}: the instance does not belong there, so the server must not store it.
        var result = await client.StoreFilesAsync([source.Paths[0]], "1.2.3.4.5");
        Assert.Empty(result.Stored);
        var failed = Assert.Single(result.Failed);
        Assert.Equal(Ich.Dicom.Reading.DicomFileReader.Read(source.Paths[0]).Dataset.GetText(Ich.Dicom.Model.DicomTags.SOPInstanceUID), failed.SopInstanceUid);
        Assert.False(result.AllStored);

        using var wrong = orthanc.NewHttpClient();
        var badRoot = new DicomWebClient(wrong, new DicomWebClientOptions { BaseUri = new Uri($"http://127.0.0.1:{orthanc.HttpPort}/no-such-root/"), MaxAttempts = 1 });
        var e = await Assert.ThrowsAsync<DicomWebRequestException>(() => badRoot.SearchStudiesAsync());
        Assert.Equal(404, e.StatusCode);
    }
}
