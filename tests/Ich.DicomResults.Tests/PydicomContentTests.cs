using System.Text.Json;
using Ich.Core;
using Ich.DicomResults.Input;
using Ich.TestKit;

namespace Ich.DicomResults.Tests;

/// <summary>
/// Debian's pydicom (tools/dicomresults/inspect_results.py) reads every object; its reading of the SR's numbers,
/// codes and references, the KOS references and the copied identity is compared with the input record and
/// with the source files as pydicom reads them.
/// </summary>
public sealed class PydicomContentTests : IDisposable
{
    private static readonly int[] FlaggedSlices = [2, 3];
    private static readonly int[] NewSeriesNumbers = [901, 902, 903];
    private readonly string _dir = RepoPaths.NewTempDir("ich-dicomres");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableFact]
    public void Report_NumbersCodesAndReferences_MatchTheInput()
    {
        ToolRunner.RequirePydicom();
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var input = source.ResultInput();
        var set = DicomResultWriter.Write(input, Path.Combine(_dir, "out"));
        var sr = ToolRunner.Inspect([set.Report.Path])[0].GetProperty("sr");

        Assert.Equal("126000", sr.GetProperty("title").GetProperty("value").GetString());
        Assert.Equal("1500", sr.GetProperty("template").GetString());
        var observer = sr.GetProperty("observer");
        Assert.Equal("121007", observer.GetProperty("121005").GetString());
        Assert.Equal("ich default", observer.GetProperty("121013").GetString());
        Assert.Equal("ich", observer.GetProperty("121014").GetString());
        Assert.Contains("NOT FOR DIAGNOSTIC USE", sr.GetProperty("comments")[0].GetString(), StringComparison.Ordinal);

        var groups = sr.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(HemorrhageClasses.Count, groups.Length);
        string[] expectedCodes = ["1386000", "ICH-EDH", "ICH-IPH", "ICH-IVH", "ICH-SAH", "ICH-SDH"];
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var g = groups[c];
            var f = input.Findings.Single(x => x.ClassName == HemorrhageClasses.Names[c]);
            Assert.Equal(expectedCodes[c], g.GetProperty("finding").GetProperty("value").GetString());
            Assert.Equal(f.Probability, g.GetProperty("probability").GetDouble());
            Assert.Equal("1", g.GetProperty("unit").GetProperty("value").GetString());
            Assert.Equal("UCUM", g.GetProperty("unit").GetProperty("scheme").GetString());
            Assert.Equal(f.Present ? "52101004" : "272519000", g.GetProperty("evaluation").GetProperty("value").GetString());
            Assert.Equal("SCT", g.GetProperty("evaluation").GetProperty("scheme").GetString());
            Assert.Equal("2.1.0", g.GetProperty("algorithm_version").GetString());
            Assert.Contains(g.GetProperty("parameters").EnumerateArray(),
                p => p.GetString()!.EndsWith($"present when probability >= 0.5", StringComparison.Ordinal));
            var inferred = g.GetProperty("inferred_from").EnumerateArray().Select(r => r.GetProperty("instance").GetString()).ToArray();
            Assert.Equal(f.TopSliceIndices.Select(i => input.Series.Instances[i].SopInstanceUid), inferred);
        }
    }

    [SkippableFact]
    public void References_OfReportAndKos_ResolveToInstancesOfTheSourceStudy()
    {
        ToolRunner.RequirePydicom();
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var set = DicomResultWriter.Write(source.ResultInput(), Path.Combine(_dir, "out"));
        // The source as pydicom sees it: SOP instance -> (class, study, series).
        var sourceFiles = ToolRunner.Inspect(source.Paths)
            .ToDictionary(j => j.GetProperty("sop_instance").GetString()!, j => j);
        var objects = ToolRunner.Inspect(set.Files.Select(f => f.Path));
        var sr = objects.Single(o => o.TryGetProperty("sr", out _)).GetProperty("sr");
        var kos = objects.Single(o => o.TryGetProperty("kos", out _)).GetProperty("kos");

        void Resolves(JsonElement reference)
        {
            var uid = reference.GetProperty("instance").GetString()!;
            Assert.True(sourceFiles.TryGetValue(uid, out var target), $"reference {uid} is not an instance of the source study");
            Assert.Equal(target.GetProperty("sop_class").GetString(), reference.GetProperty("class").GetString());
            Assert.Equal(source.StudyUid, target.GetProperty("study").GetString());
            if (reference.TryGetProperty("series", out var series)) Assert.Equal(target.GetProperty("series").GetString(), series.GetString());
            if (reference.TryGetProperty("study", out var study)) Assert.Equal(source.StudyUid, study.GetString());
        }
        foreach (var r in sr.GetProperty("library").EnumerateArray()) Resolves(r);
        foreach (var r in sr.GetProperty("evidence").EnumerateArray()) Resolves(r);
        foreach (var g in sr.GetProperty("groups").EnumerateArray())
        foreach (var r in g.GetProperty("inferred_from").EnumerateArray()) Resolves(r);
        foreach (var r in kos.GetProperty("images").EnumerateArray()) Resolves(r);
        foreach (var r in kos.GetProperty("evidence").EnumerateArray()) Resolves(r);

        // The KOS flags exactly the top slices of the present classes (slices 2 and 3).
        var flagged = kos.GetProperty("images").EnumerateArray().Select(r => r.GetProperty("instance").GetString()).ToHashSet();
        Assert.Equal(FlaggedSlices.Select(i => Path.GetFileName(source.Paths[i])).ToHashSet(),
            sourceFiles.Where(kv => flagged.Contains(kv.Key)).Select(kv => Path.GetFileName(kv.Value.GetProperty("path").GetString()!)).ToHashSet());
        Assert.Equal("113000", kos.GetProperty("title").GetProperty("value").GetString());

        // Every object is in the source study, in a new series of its own kind.
        Assert.All(objects, o => Assert.Equal(source.StudyUid, o.GetProperty("study").GetString()));
        var sourceSeries = sourceFiles.Values.First().GetProperty("series").GetString();
        Assert.All(objects, o => Assert.NotEqual(sourceSeries, o.GetProperty("series").GetString()));
        Assert.Equal(3, objects.Select(o => o.GetProperty("series").GetString()).Distinct().Count());
        Assert.Equal(NewSeriesNumbers, objects.Select(o => o.GetProperty("series_number").GetInt32()).Distinct().Order());
    }

    [SkippableTheory]
    [InlineData("ISO_IR 100")]
    [InlineData("ISO_IR 192")]
    public void Identity_IsCopiedByteForByte_WithTheSourceCharacterSet(string characterSet)
    {
        ToolRunner.RequirePydicom();
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"), characterSet);
        var set = DicomResultWriter.Write(source.ResultInput(), Path.Combine(_dir, "out"), CaptureMode.Full);
        var sourceRaw = ToolRunner.RawIdentity(source.Paths[0]);
        // Sanity: the source really carries non-ASCII bytes in its name.
        Assert.Contains(Convert.FromHexString(sourceRaw.GetProperty("PatientName").GetString()!), b => b > 0x7F);
        var objects = ToolRunner.Inspect(set.Files.Select(f => f.Path));
        Assert.Equal(set.Files.Count, objects.Count);
        foreach (var o in objects)
        {
            foreach (var attribute in sourceRaw.EnumerateObject())
            {
                // The fixture sets every copied attribute, so each comparison is of real bytes.
                Assert.Equal(JsonValueKind.String, attribute.Value.ValueKind);
                Assert.Equal(attribute.Value.GetString(), o.GetProperty("raw").GetProperty(attribute.Name).GetString());
            }
            Assert.Equal(source.PatientName, o.GetProperty("patient_name").GetString());
        }
    }

    [SkippableFact]
    public void Captures_AreRgbWithBurnedInAnnotation_OnePerSourceSliceInFullMode()
    {
        ToolRunner.RequirePydicom();
        var source = SourceStudyFixture.Create(Path.Combine(_dir, "src"));
        var set = DicomResultWriter.Write(source.ResultInput(), Path.Combine(_dir, "out"), CaptureMode.Full);
        var captures = ToolRunner.Inspect(set.Captures.Select(c => c.Path)).Select(o => o.GetProperty("sc")).ToArray();
        Assert.Equal(SourceStudyFixture.SliceCount, captures.Length);
        var sourceUids = ToolRunner.Inspect(source.Paths).Select(j => j.GetProperty("sop_instance").GetString()).ToArray();
        for (var i = 0; i < captures.Length; i++)
        {
            Assert.Equal("YES", captures[i].GetProperty("burned_in").GetString());
            Assert.Equal("RGB", captures[i].GetProperty("photometric").GetString());
            Assert.Equal(3, captures[i].GetProperty("shape")[2].GetInt32());
            Assert.Equal(sourceUids[i], captures[i].GetProperty("source").GetProperty("instance").GetString());
        }
    }
}
