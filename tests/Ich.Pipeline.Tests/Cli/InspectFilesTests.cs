using System.IO.Compression;
using System.Text.Json;
using Ich.Core.Text;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// <c>ich inspect PATH... --json</c>: JSON Lines, one object per file with the contract keys; a bad file is one
/// line with <c>error</c> set and never stops the listing; the exit code is non-zero when any file failed.
/// Reference values: tests/fixtures/dicom/expected.csv and tests/fixtures/cli/fixture_uids.csv (pydicom/GDCM/DCMTK),
/// and realdata/dicom_manifest.csv for the shared corpus.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InspectFilesTests : IDisposable
{
    private readonly string _temp = RepoPaths.NewTempDir("ich-cli-inspect");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void InspectJson_CommittedFixtureFolder_EveryFileOneLineMatchingItsReference()
    {
        var folder = DicomFixture.Folder;
        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", folder, "--json"), folder);

        var lines = run.JsonLines();
        Assert.Equal(DicomFixture.All.Count, lines.Count); // SOURCES.md and expected.csv are companions, not inputs
        foreach (var fixture in DicomFixture.All)
            InspectJson.Matches(lines.ByPath(fixture.FullPath), fixture);
        Assert.True(run.ExitCode != 0, $"two fixtures are bad input, so the exit code must say so\n{run}");
    }

    [Fact]
    public void InspectJson_OnlyReadableFiles_ExitCodeZero()
    {
        var files = new[] { "CT_small.dcm", "MR_small_implicit.dcm", "rtdose.dcm" }.Select(DicomFixture.Get).ToList();
        var run = CliRun.Ich(["inspect", .. files.Select(f => f.FullPath), "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.JsonLines();
        Assert.Equal(files.Select(f => f.FullPath), lines.Select(l => l.Str("path"))); // named files keep their order
        foreach (var f in files) InspectJson.Matches(lines.ByPath(f.FullPath), f);
    }

    [Fact]
    public void InspectJson_CorruptAndEmptyFilesInNestedFolders_EveryFileListedAndExitNonZero()
    {
        // Folders are listed recursively; the corrupt file sorts first, so a listing that stopped at it would miss the rest.
        var corrupt = Write("a/corrupt.dcm", RandomBytes(600, seed: 7));
        var empty = Write("a/b/empty.dcm", []);
        var ct = Copy("CT_small.dcm", "a/b/c/CT_small.dcm");
        var rle = Copy("MR_small_RLE.dcm", "z/MR_small_RLE.dcm");
        Write("notes.md", "# not DICOM: a companion file, skipped"u8.ToArray());

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", _temp, "--json"), _temp);

        var lines = run.JsonLines();
        Assert.Equal([corrupt, empty, ct, rle], lines.Select(l => l.Str("path")));
        foreach (var line in lines) InspectJson.HasContractKeys(line);
        InspectJson.IsFailure(lines.ByPath(corrupt));
        InspectJson.IsFailure(lines.ByPath(empty));
        InspectJson.Matches(lines.ByPath(ct), DicomFixture.Get("CT_small.dcm"));
        InspectJson.Matches(lines.ByPath(rle), DicomFixture.Get("MR_small_RLE.dcm"));
        Assert.True(run.ExitCode != 0, run.ToString());
    }

    [Fact]
    public void InspectJson_ZipArchive_EntriesListedWithReferenceHashesAndArchiveUntouched()
    {
        var zip = Path.Combine(_temp, "input", "study.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(zip)!);
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(DicomFixture.Get("CT_small.dcm").FullPath, "series/CT_small.dcm");
            archive.CreateEntryFromFile(DicomFixture.Get("MR_small_bigendian.dcm").FullPath, "series/deeper/MR_small_bigendian.dcm");
            archive.CreateEntryFromFile(DicomFixture.Get("image_dfl.dcm").FullPath, "image_dfl.dcm", CompressionLevel.NoCompression);
            using (var s = archive.CreateEntry("broken.dcm").Open()) s.Write(RandomBytes(300, seed: 11));
            using (var s = archive.CreateEntry("README.md").Open()) s.Write("companion file"u8);
        }
        var input = Path.GetDirectoryName(zip)!;

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", input, "--json"), input);

        var lines = run.JsonLines();
        Assert.Equal(4, lines.Count);
        InspectJson.Matches(lines.ByPath($"{zip}!series/CT_small.dcm"), DicomFixture.Get("CT_small.dcm"));
        InspectJson.Matches(lines.ByPath($"{zip}!series/deeper/MR_small_bigendian.dcm"), DicomFixture.Get("MR_small_bigendian.dcm"));
        InspectJson.Matches(lines.ByPath($"{zip}!image_dfl.dcm"), DicomFixture.Get("image_dfl.dcm"));
        InspectJson.IsFailure(lines.ByPath($"{zip}!broken.dcm"));
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Equal(["study.zip"], Directory.GetFileSystemEntries(input).Select(Path.GetFileName)); // nothing extracted beside it
    }

    [Fact]
    public void InspectJson_MissingPathBesideAGoodFile_ErrorLineForItAndExitNonZero()
    {
        var missing = Path.Combine(_temp, "no-such-folder");
        var ct = DicomFixture.Get("CT_small.dcm");

        var run = CliRun.Ich("inspect", missing, ct.FullPath, "--json");

        var lines = run.JsonLines();
        Assert.Equal(2, lines.Count);
        InspectJson.HasContractKeys(lines[0]);
        InspectJson.IsFailure(lines.ByPath(missing));
        InspectJson.Matches(lines.ByPath(ct.FullPath), ct);
        Assert.True(run.ExitCode != 0, run.ToString());
    }

    [Fact]
    public void InspectJson_FolderWithoutDicomFiles_NoLinesAndExitNonZero()
    {
        Write("only/notes.txt", "nothing to inspect"u8.ToArray());

        var run = CliRun.Ich("inspect", _temp, "--json");

        Assert.Empty(run.JsonLines());
        Assert.True(run.ExitCode != 0, $"an input with no DICOM file at all must not look like success\n{run}");
    }

    [Fact]
    public void InspectTable_CommittedFixtureFolder_HeaderThenOneLinePerFileWithHashOrError()
    {
        var run = CliRun.Ich("inspect", DicomFixture.Folder);

        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(DicomFixture.All.Count + 1, lines.Length);
        foreach (var f in DicomFixture.All)
        {
            var line = Assert.Single(lines, l => l.StartsWith(f.FullPath + " ", StringComparison.Ordinal));
            if (f.Decodes) Assert.EndsWith(f.PixelSha256, line);
            if (f.MustFail) Assert.Contains("ERROR", line);
        }
        Assert.True(run.ExitCode != 0, run.ToString());
    }

    [SkippableFact]
    public void InspectJson_SharedCorpus_HashesMatchDicomManifest()
    {
        var realdata = RepoPaths.RequireShared("realdata");
        var manifest = CsvTable.Read(Path.Combine(realdata, "dicom_manifest.csv"));
        string Col(CsvRow r, string c) => r[manifest.Require(c)];
        var folders = new[] { "conformance", "headct", "ich-labelled" }.Select(f => Path.Combine(realdata, f)).ToArray();

        var run = InputTree.Unchanged(() => CliRun.Ich(["inspect", .. folders, "--json"]), folders);

        var lines = run.JsonLines();
        Assert.Equal(lines.Count, lines.Select(l => l.Str("path")).Distinct().Count());
        var checkedHashes = 0;
        var openJpegAbsent = Ich.Dicom.Codecs.FrameDecoders.OpenJpegVersion is null;
        foreach (var row in manifest.Rows)
        {
            var file = Col(row, "file");
            var line = lines.ByPath(Path.Combine(realdata, file));
            InspectJson.HasContractKeys(line);
            var what = $"{file} (expect {Col(row, "expect")}): {line}";
            switch (Col(row, "expect"))
            {
                case "ok":
                    // JPEG 2000 is unsupported only without OpenJPEG (libopenjp2-7); then it must say so.
                    if (openJpegAbsent && line.Str("errorKind") == "unsupported-transfer-syntax" && Col(row, "transfer_syntax_uid").StartsWith("1.2.840.10008.1.2.4.9", StringComparison.Ordinal))
                        break;
                    Assert.True(line.Str("error") is null, what);
                    Assert.Equal(Col(row, "pixel_sha256"), line.Str("pixelSha256"));
                    Assert.Equal(Col(row, "transfer_syntax_uid"), line.Str("transferSyntaxUid"));
                    Assert.Equal(int.Parse(Col(row, "rows")), line.Int("rows"));
                    Assert.Equal(int.Parse(Col(row, "cols")), line.Int("columns"));
                    checkedHashes++;
                    break;
                case "ok-lossy": // decoders may differ by a few units, so no hash comparison; it must decode or say unsupported
                    if (openJpegAbsent && line.Str("errorKind") == "unsupported-transfer-syntax" && Col(row, "transfer_syntax_uid").StartsWith("1.2.840.10008.1.2.4.9", StringComparison.Ordinal))
                        break;
                    Assert.True(line.Str("error") is null, what);
                    Assert.Matches("^[0-9a-f]{64}$", line.Str("pixelSha256")!);
                    break;
                case "ok-header" when Col(row, "decode_status") == "no-pixel-data":
                    Assert.True(line.Str("error") is null && line.Str("pixelSha256") is null, what);
                    break;
                case "ok-header": // pixel data present but the image pixel module is incomplete (pydicom fails it too)
                case "error-parse":
                case "error-pixels":
                    InspectJson.IsFailure(line);
                    break;
            }
        }
        Assert.True(checkedHashes >= 100, $"only {checkedHashes} hashes compared");
        Assert.True(run.ExitCode != 0, "the corpus holds bad files on purpose");
    }

    private string Write(string relative, byte[] bytes)
    {
        var path = Path.Combine(_temp, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Copy(string fixture, string relative) => Write(relative, File.ReadAllBytes(DicomFixture.Get(fixture).FullPath));

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
