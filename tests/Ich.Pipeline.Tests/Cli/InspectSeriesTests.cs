using System.IO.Compression;
using System.Text.Json;
using Ich.Dicom.Model;
using Ich.Dicom.Reading;
using Ich.Dicom.Writing;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// <c>ich inspect PATH... --series --json [--png DIR]</c>: JSON Lines, one object per series with the contract keys;
/// slice order and geometry against series references computed with pydicom + numpy; the montage is a PNG that an
/// independent decoder (SkiaSharp) reads and that shows an image.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class InspectSeriesTests : IDisposable
{
    private static readonly string[] ContractKeys =
    [
        "studyInstanceUid", "seriesInstanceUid", "selected", "reason", "sopInstanceUids",
        "spacingMm", "thicknessMm", "tiltDeg", "gaps", "problems",
    ];

    private readonly string _temp = RepoPaths.NewTempDir("ich-cli-series");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [SkippableFact]
    public void InspectSeriesJson_RealHeadCtSeries_SliceOrderAndGeometryMatchReference()
    {
        var realdata = RepoPaths.RequireShared("realdata");
        var headct = Path.Combine(realdata, "headct");
        var references = SeriesReference.SharedHeadCt(realdata).Append(SeriesReference.RsnaOkotaku()).ToList();
        var png = Path.Combine(_temp, "montages");

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", headct, "--series", "--json", "--png", png), headct);

        Assert.True(run.ExitCode == 0, run.ToString());
        var records = run.JsonLines();
        foreach (var r in records) HasContractKeys(r);
        Assert.Equal(references.Count, records.Count);
        foreach (var reference in references)
        {
            var what = reference.Folder;
            var record = Assert.Single(records, r => Sops(r).ToHashSet().SetEquals(reference.SopInstanceUids));
            Assert.Equal(reference.SopInstanceUids, Sops(record)); // slice order, lowest first
            Assert.True(record.GetProperty("selected").GetBoolean(), $"{what}: the only series of its study must be selected");
            Assert.False(string.IsNullOrWhiteSpace(record.GetProperty("reason").GetString()), what);

            Near(reference.MedianStepMm, record.GetProperty("spacingMm").GetDouble(), 1e-3, what + " spacingMm");
            Near(reference.TiltDeg, record.GetProperty("tiltDeg").GetDouble(), 1e-2, what + " tiltDeg");
            var thicknesses = reference.Slices.Select(s => s.ThicknessMm).OfType<double>().Distinct().ToList();
            if (thicknesses.Count > 0) // the RSNA files carry no SliceThickness
                Assert.Contains(thicknesses, t => Math.Abs(t - record.GetProperty("thicknessMm").GetDouble()) < 1e-3);

            CheckGaps(reference, record, what);
        }
        CheckMontages(records, png);
    }

    [Fact]
    public void InspectSeriesJson_UnreadableFilesBesideASlice_SeriesStillListedAndExitNonZero()
    {
        var ct = DicomFixture.Get("CT_small.dcm");
        var input = Path.Combine(_temp, "input");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(ct.FullPath, Path.Combine(input, "sub", "slice.dcm"));
        File.WriteAllBytes(Path.Combine(input, "corrupt.dcm"), [0x44, 0x49, 0x43, 0x4D, 0xFF, 0xFF, 0x01]);
        File.WriteAllBytes(Path.Combine(input, "empty.dcm"), []);

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", input, "--series", "--json"), input);

        var record = Assert.Single(run.JsonLines());
        HasContractKeys(record);
        Assert.Equal(ct.StudyInstanceUid, record.GetProperty("studyInstanceUid").GetString());
        Assert.Equal(ct.SeriesInstanceUid, record.GetProperty("seriesInstanceUid").GetString());
        Assert.Equal([ct.SopInstanceUid], Sops(record));
        Assert.True(run.ExitCode != 0, $"two files could not be read\n{run}");
        Assert.Contains("corrupt.dcm", run.Stderr);
        Assert.Contains("empty.dcm", run.Stderr);
    }

    [Fact]
    public void InspectSeriesJson_SlicesWrittenOutOfOrderWithAGap_SortedByPositionGapReportedMontageWritten()
    {
        // Four copies of the committed CT slice at z = 0, 5, 10, 25 mm (+ its own z), file names not in slice order.
        var (input, sops) = WriteSliceCopies([0, 5, 10, 25]);
        var png = Path.Combine(_temp, "png");

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", input, "--series", "--json", "--png", png), input);

        Assert.True(run.ExitCode == 0, run.ToString());
        var record = Assert.Single(run.JsonLines());
        HasContractKeys(record);
        Assert.Equal(sops, Sops(record));
        Assert.True(record.GetProperty("selected").GetBoolean(), record.ToString());
        Near(5, record.GetProperty("spacingMm").GetDouble(), 1e-4, "spacingMm (median step)");
        Near(5, record.GetProperty("thicknessMm").GetDouble(), 1e-4, "thicknessMm (SliceThickness tag)");
        Near(0, record.GetProperty("tiltDeg").GetDouble(), 1e-4, "tiltDeg");
        var gap = Assert.Single(record.GetProperty("gaps").EnumerateArray());
        Assert.Equal(sops[2], gap.GetProperty("afterSopInstanceUid").GetString());
        Near(15, gap.GetProperty("stepMm").GetDouble(), 1e-4, "gap step");
        Assert.True(record.GetProperty("problems").GetArrayLength() > 0, "a gap is a problem of the series");
        CheckMontages(run.JsonLines(), png);
    }

    [Fact]
    public void InspectSeriesJson_SlicesInsideAZip_SameOrderAndMontageAsFromAFolder()
    {
        var (folder, sops) = WriteSliceCopies([0, 5, 10]);
        var zipped = Directory.CreateDirectory(Path.Combine(_temp, "zipped")).FullName;
        var zip = Path.Combine(zipped, "slices.zip");
        ZipFile.CreateFromDirectory(folder, zip);
        var png = Path.Combine(_temp, "png");

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", zip, "--series", "--json", "--png", png), zipped);

        Assert.True(run.ExitCode == 0, run.ToString());
        var record = Assert.Single(run.JsonLines());
        Assert.Equal(sops, Sops(record));
        Assert.True(record.GetProperty("gaps").GetArrayLength() == 0, record.ToString());
        CheckMontages(run.JsonLines(), png);
    }

    [Fact]
    public void InspectSeriesPng_OneSliceTruncated_FileNamedAndExitNonZero()
    {
        var (input, sops) = WriteSliceCopies([0, 5, 10, 15]);
        var victim = Directory.GetFiles(input).Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(victim);
        File.WriteAllBytes(victim, bytes[..^4000]); // cut into the pixel data
        var png = Path.Combine(_temp, "png");

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", input, "--series", "--json", "--png", png), input);

        Assert.True(run.ExitCode != 0, $"a slice that cannot be read or drawn must show in the exit code\n{run}");
        Assert.Contains(victim, run.Stderr);
        var record = Assert.Single(run.JsonLines());
        Assert.Subset(sops.ToHashSet(), Sops(record).ToHashSet());
    }

    [Fact]
    public void InspectSeriesPng_MontageFolderIsAFile_ReportedAndExitNonZero()
    {
        var (input, _) = WriteSliceCopies([0, 5, 10]);
        var notAFolder = Path.Combine(_temp, "taken");
        File.WriteAllText(notAFolder, "an existing file where the montage folder should go");

        var run = InputTree.Unchanged(() => CliRun.Ich("inspect", input, "--series", "--json", "--png", notAFolder), input);

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains(notAFolder, run.Stderr);
        Assert.Single(run.JsonLines()); // the series is still reported
    }

    [Fact]
    public void InspectSeriesSelectionRules_StricterMinimumSlices_SeriesNotEligibleAndNoMontage()
    {
        var (input, sops) = WriteSliceCopies([0, 5, 10, 15]);
        var rules = Path.Combine(_temp, "rules.json");
        File.WriteAllText(rules, """{ "minSlices": 5 }""");
        var png = Path.Combine(_temp, "png");

        var run = CliRun.Ich("inspect", input, "--series", "--json", "--png", png, "--selection-rules", rules);

        Assert.True(run.ExitCode == 0, $"a study without an eligible series is a finding, not a failure\n{run}");
        var record = Assert.Single(run.JsonLines());
        Assert.Equal(sops, Sops(record));
        Assert.False(record.GetProperty("selected").GetBoolean(), record.ToString());
        Assert.False(record.GetProperty("eligible").GetBoolean(), record.ToString());
        Assert.Equal(JsonValueKind.Null, record.GetProperty("montagePng").ValueKind);
        Assert.False(Directory.Exists(png) && Directory.EnumerateFileSystemEntries(png).Any());
    }

    [Theory]
    [InlineData("""{ "minSlices": -3 }""")]
    [InlineData("""{ "minSlice": 3 }""")]
    [InlineData("not json")]
    public void InspectSeriesSelectionRules_BadFile_UsageErrorNamingTheFile(string content)
    {
        var rules = Path.Combine(_temp, "rules.json");
        File.WriteAllText(rules, content);

        var run = CliRun.Ich("inspect", DicomFixture.Get("CT_small.dcm").FullPath, "--series", "--json", "--selection-rules", rules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(rules, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void InspectPng_WithoutSeries_IsAUsageErrorAndWritesNothing()
    {
        var png = Path.Combine(_temp, "png");

        var run = CliRun.Ich("inspect", DicomFixture.Get("CT_small.dcm").FullPath, "--png", png);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--series", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(Directory.Exists(png));
    }

    /// <summary>
    /// Copies of the committed CT slice (axial, 5 mm) with new SOP UIDs at the given offsets along z, written under
    /// file names that sort in the reverse of slice order. Returns the folder and the SOP UIDs in slice order.
    /// </summary>
    private (string Folder, List<string> SopInstanceUids) WriteSliceCopies(double[] offsets)
    {
        var ct = DicomFixture.Get("CT_small.dcm");
        var input = Path.Combine(_temp, "input");
        Directory.CreateDirectory(input);
        var sops = new List<string>();
        for (var k = 0; k < offsets.Length; k++)
        {
            var dataset = DicomFileReader.Read(ct.FullPath).Dataset;
            var sop = $"{ct.SopInstanceUid}.{k + 1}";
            dataset.With(
                DicomElements.Uid(DicomTags.SOPInstanceUID, sop),
                DicomElements.Decimal(DicomTags.ImagePositionPatient, -158.135803, -179.035797, -75.699997 + offsets[k]),
                DicomElements.Integer(DicomTags.InstanceNumber, k + 1));
            var name = $"slice{offsets.Length - k:D2}.dcm"; // file names sort in the reverse of slice order
            DicomFileWriter.Write(Path.Combine(input, name), dataset, TransferSyntaxes.ExplicitVRLittleEndian);
            sops.Add(sop);
        }
        return (input, sops);
    }

    /// <summary>
    /// Steps more than twice the reference median are gaps any rule must report; steps within 10 % of it must not be.
    /// A series whose reference steps are all within 1 % of the median is clean: no gaps, no problems.
    /// </summary>
    private static void CheckGaps(SeriesReference reference, JsonElement record, string what)
    {
        var median = reference.MedianStepMm;
        var gaps = record.GetProperty("gaps").EnumerateArray()
            .Select(g => (After: g.GetProperty("afterSopInstanceUid").GetString(), Step: g.GetProperty("stepMm").GetDouble()))
            .ToList();
        for (var i = 1; i < reference.Slices.Count; i++)
        {
            var step = reference.Slices[i].StepMm!.Value;
            var after = reference.Slices[i - 1].SopInstanceUid;
            var reported = gaps.Where(g => g.After == after).ToList();
            if (step > 2 * median)
            {
                var gap = Assert.Single(reported);
                Near(step, gap.Step, 1e-3, $"{what} gap after {after}");
            }
            else if (Math.Abs(step - median) <= 0.1 * median)
            {
                Assert.True(reported.Count == 0, $"{what}: regular step {step} mm after {after} reported as a gap");
            }
        }
        var problems = record.GetProperty("problems").GetArrayLength();
        if (reference.Steps.All(s => Math.Abs(s - median) <= 0.01 * median))
            Assert.True(gaps.Count == 0 && problems == 0, $"{what}: evenly spaced, yet gaps/problems reported: {record}");
        else
            Assert.True(problems > 0, $"{what}: steps range {reference.Steps.Min()}–{reference.Steps.Max()} mm, yet no problem reported");
    }

    /// <summary>Every selected series has its montage in <paramref name="folder"/> (and nothing else is written there).</summary>
    private static void CheckMontages(IReadOnlyList<JsonElement> records, string folder)
    {
        var expected = new List<string>();
        foreach (var r in records)
        {
            var montage = r.GetProperty("montagePng");
            if (!r.GetProperty("selected").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, montage.ValueKind);
                continue;
            }
            var path = montage.GetString()!;
            Assert.Equal(Path.GetFullPath(folder), Path.GetFullPath(Path.GetDirectoryName(path)!));
            var image = PngCheck.Of(path);
            Assert.True(image.Width >= 64 && image.Height >= 64, $"{path}: {image}");
            // Brain window (40/80) of a head: air is black, bone white, brain grey in between.
            Assert.True(image.DistinctGrays >= 32 && image.DarkFraction > 0.05 && image.BrightFraction > 0.001, $"{path} looks blank: {image}");
            expected.Add(Path.GetFileName(path));
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static void HasContractKeys(JsonElement record)
    {
        foreach (var key in ContractKeys)
            Assert.True(record.TryGetProperty(key, out _), $"key '{key}' missing in {record}");
    }

    private static List<string> Sops(JsonElement record) =>
        record.GetProperty("sopInstanceUids").EnumerateArray().Select(e => e.GetString()!).ToList();

    private static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual}");
}
