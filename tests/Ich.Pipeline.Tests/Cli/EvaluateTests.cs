using System.Globalization;
using System.Text;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Text;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// <c>ich evaluate --pred ... --labels ... --format ... --level both --out DIR</c> end to end: metrics.json with the
/// contract keys and values equal to the scikit-learn reference of the committed end-to-end fixtures
/// (tests/fixtures/metrics/e2e-*/expected.json, made by tools/metrics/make_fixtures.py), metrics.md, roc.png,
/// bad input, several prediction files, and the --thresholds round trip.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EvaluateTests : IDisposable
{
    private const double Tolerance = 1e-9;

    private static readonly string[] ClassContractKeys =
        ["auc", "aucCi95DeLong", "aucCi95Bootstrap", "sensitivity", "specificity", "threshold", "nPositive", "nNegative"];

    private readonly string _temp = RepoPaths.NewTempDir("ich-cli-evaluate");

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string MetricsFixtures => Path.Combine(RepoPaths.Fixtures, "metrics");

    private static string RsnaPredictions => Path.Combine(MetricsFixtures, "e2e-rsna", "predictions.csv");

    private static string RsnaLabels => Path.Combine(MetricsFixtures, "e2e-rsna", "labels.csv");

    public static IEnumerable<object[]> Fixtures =>
    [
        ["e2e-rsna", "labels.csv", "rsna"],
        ["e2e-phantom", "labels.csv", "phantom"], // ich synth: ID_<SOPInstanceUID>_<subtype> around 2.25 UIDs
        ["e2e-physionet", "hemorrhage_diagnosis.csv", "physionet"],
        ["e2e-cq500", "reads.csv", "cq500"],   // scan labels only: --level both evaluates the scan level
    ];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Evaluate_CommittedFixture_MetricsJsonEqualsSklearnReference(string folder, string labels, string format)
    {
        var dir = Path.Combine(MetricsFixtures, folder);
        var expected = Load(Path.Combine(dir, "expected.json"));
        var output = Path.Combine(_temp, "out");

        var run = InputTree.Unchanged(() => Evaluate(Path.Combine(dir, "predictions.csv"), Path.Combine(dir, labels), format, output, Bootstrap(expected)), dir);

        Assert.True(run.ExitCode == 0, run.ToString());
        var actual = Load(Path.Combine(output, "metrics.json"));
        var join = actual.GetProperty("join");
        foreach (var key in new[] { "matched", "predictionsWithoutLabel", "labelsWithoutPrediction" })
            Assert.Equal(expected.GetProperty("join").GetProperty(key).GetInt32(), join.GetProperty(key).GetInt32());

        var levels = new[] { "slice", "scan" }.Where(l => expected.TryGetProperty(l, out _)).ToList();
        Assert.Equal(levels, new[] { "slice", "scan" }.Where(l => actual.TryGetProperty(l, out _)));
        foreach (var level in levels)
            SameLevel(expected.GetProperty(level), actual.GetProperty(level), $"{folder} ({format}) {level}");

        var markdown = File.ReadAllText(Path.Combine(output, "metrics.md"));
        foreach (var level in levels)
        {
            var auc = expected.GetProperty(level).GetProperty("any").GetProperty("auc").GetDouble();
            Assert.Contains($"| ICH | {auc.ToString("0.000", CultureInfo.InvariantCulture)} ", markdown);
        }
        foreach (var abbreviation in HemorrhageClasses.Abbreviations) Assert.Contains($"| {abbreviation} |", markdown);
        var roc = PngCheck.Of(Path.Combine(output, "roc.png"));
        Assert.True(roc.Width >= 300 && roc.Height >= 300 && roc.DistinctGrays > 8, $"roc.png: {roc}");
    }

    [Fact]
    public void Evaluate_NoPredictionMatchesALabel_FailsNamingThePredictionFileAndWritesNothing()
    {
        var predictions = WriteText("nomatch.csv",
            "scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural\n" +
            "ID_other,ID_notinlabels,0,0.0,0.1,0.1,0.1,0.1,0.1,0.1\n");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(predictions, RsnaLabels, "rsna", output);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(predictions, run.Stderr);
        Assert.False(File.Exists(Path.Combine(output, "metrics.json")), "an empty join must not produce metrics");
    }

    [Fact]
    public void Evaluate_MalformedPredictionRow_MessageNamesFileAndLine()
    {
        var lines = File.ReadAllLines(RsnaPredictions).ToList();
        var fields = lines[5].Split(',');
        fields[5] = "abc"; // epidural probability of the 5th data row = line 6 of the file
        lines[5] = string.Join(',', fields);
        var predictions = WriteText("bad.csv", string.Join('\n', lines) + "\n");

        var run = Evaluate(predictions, RsnaLabels, "rsna", Path.Combine(_temp, "out"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"{predictions}: line 6", run.Stderr);
        Assert.Contains("abc", run.Stderr);
    }

    [Fact]
    public void Evaluate_RepeatedPredictionRow_MessageNamesBothLines()
    {
        var lines = File.ReadAllLines(RsnaPredictions).ToList();
        lines.Add(lines[2]); // data row of line 3 again, as the last line
        var predictions = WriteText("dup.csv", string.Join('\n', lines) + "\n");

        var run = Evaluate(predictions, RsnaLabels, "rsna", Path.Combine(_temp, "out"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{predictions}: line {lines.Count}", run.Stderr);
        Assert.Contains("line 3", run.Stderr);
    }

    [Fact]
    public void Evaluate_SeveralPredictionFiles_ComparisonTableAndOneFolderEach()
    {
        // B = A squared: a strictly increasing transform, so every AUC equals A's (the sklearn reference); log-loss differs.
        var a = WriteText("model-a/predictions.csv", File.ReadAllText(RsnaPredictions));
        var b = WriteText("model-b/predictions.csv", TransformScores(File.ReadAllText(RsnaPredictions), p => p * p));
        var output = Path.Combine(_temp, "out");
        var expected = Load(Path.Combine(MetricsFixtures, "e2e-rsna", "expected.json"));

        var run = Evaluate([a, b], RsnaLabels, "rsna", output, Bootstrap(expected), "--names", "model A", "model-B");

        Assert.True(run.ExitCode == 0, run.ToString());
        var comparison = File.ReadAllText(Path.Combine(output, "comparison.md"));
        Assert.Contains("| model A |", comparison);
        Assert.Contains("| model-B |", comparison);
        var folders = Directory.GetDirectories(output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, folders.Count);
        var metrics = folders.Select(f => Load(Path.Combine(output, f!, "metrics.json"))).ToList();
        Assert.Equal(["model A", "model-B"], metrics.Select(m => m.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        foreach (var m in metrics)
            foreach (var level in new[] { "slice", "scan" })
                foreach (var name in HemorrhageClasses.Names)
                    NearOrNull(expected.GetProperty(level).GetProperty(name).GetProperty("auc"), m.GetProperty(level).GetProperty(name).GetProperty("auc"), $"{m.GetProperty("name")} {level} {name} auc");
        var squared = metrics.Single(m => m.GetProperty("name").GetString() == "model-B");
        Assert.NotEqual(expected.GetProperty("slice").GetProperty("weightedLogLoss").GetDouble(), squared.GetProperty("slice").GetProperty("weightedLogLoss").GetDouble(), 6);

        // The paired comparison of B with A (the first file): same ranking, so every defined difference is exactly 0.
        Assert.Contains("## Paired: model-B against model A", comparison);
        var paired = Load(Path.Combine(output, "comparison.json"));
        Assert.Equal("ich-evaluate-paired/1", paired.GetProperty("schema").GetString());
        var pair = Assert.Single(paired.GetProperty("comparisons").EnumerateArray());
        Assert.Equal(("model A", "model-B"), (pair.GetProperty("baseline").GetString(), pair.GetProperty("other").GetString()));
        Assert.Equal(0, pair.GetProperty("onlyOther").GetInt32());
        var defined = 0;
        foreach (var level in new[] { "slice", "scan" })
            foreach (var name in HemorrhageClasses.Names)
            {
                var c = pair.GetProperty("levels").GetProperty(level).GetProperty("classes").GetProperty(name);
                if (c.GetProperty("difference").ValueKind == JsonValueKind.Null) continue;
                defined++;
                Assert.Equal(0, c.GetProperty("difference").GetDouble());
                Assert.Equal([0.0, 0.0], c.GetProperty("differenceCi95").EnumerateArray().Select(v => v.GetDouble()));
            }
        Assert.True(defined > 0, "the fixture must have classes with both positives and negatives");
    }

    [Fact]
    public void EvaluateStages_EveryOutputAndAMean_EvaluatedAndPairedWithThePredictionsFile()
    {
        // Outputs built from the fixture's scores: the scores themselves, their square and their mean with it (both strictly
        // increasing in the score: every AUC is the sklearn reference and every paired difference exactly 0), and the
        // reversed score 1 − p (every defined AUC is 1 − the reference).
        var expected = Load(Path.Combine(MetricsFixtures, "e2e-rsna", "expected.json"));
        var stages = WriteText("run/stages.csv", StagesFromFixture(("cnn:a", p => p), ("seq1:a", p => p * p), ("seq2:a", p => 1 - p)));
        var output = Path.Combine(_temp, "out");

        var run = CliRun.Ich(["evaluate", "--pred", RsnaPredictions, "--names", "model", "--stages", stages, "--stage-mean", "cnn:a+seq1:a",
            "--labels", RsnaLabels, "--format", "rsna", "--out", output, .. Bootstrap(expected)]);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] sets = ["model", "cnn:a", "seq1:a", "seq2:a", "mean(cnn:a+seq1:a)"];
        var metrics = sets.ToDictionary(n => n, n => Load(Path.Combine(output, string.Concat(n.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')), "metrics.json")));
        foreach (var (name, m) in metrics)
        {
            Assert.Equal(name, m.GetProperty("name").GetString());
            foreach (var level in new[] { "slice", "scan" })
                foreach (var c in HemorrhageClasses.Names)
                {
                    var reference = expected.GetProperty(level).GetProperty(c).GetProperty("auc");
                    var auc = m.GetProperty(level).GetProperty(c).GetProperty("auc");
                    if (name != "seq2:a") NearOrNull(reference, auc, $"{name} {level} {c} auc");
                    else if (reference.ValueKind == JsonValueKind.Number && level == "slice") Near(1 - reference.GetDouble(), auc.GetDouble(), $"{name} {level} {c} auc");
                }
        }
        var paired = Load(Path.Combine(output, "comparison.json")).GetProperty("comparisons").EnumerateArray().ToList();
        Assert.Equal(sets.Skip(1), paired.Select(p => p.GetProperty("other").GetString()));
        Assert.All(paired, p => Assert.Equal("model", p.GetProperty("baseline").GetString()));
        foreach (var p in paired.Where(p => p.GetProperty("other").GetString() != "seq2:a"))
            foreach (var c in HemorrhageClasses.Names)
            {
                var d = p.GetProperty("levels").GetProperty("slice").GetProperty("classes").GetProperty(c).GetProperty("difference");
                if (d.ValueKind == JsonValueKind.Number) Assert.Equal(0, d.GetDouble());
            }
    }

    /// <summary>
    /// --split-negatives reaches every evaluated set: each stage output's metrics carry the split, whose two groups of
    /// negatives add up to the class's negatives; without the flag no set has it. The reversed output 1 − p turns a
    /// defined split AUC a into 1 − a.
    /// </summary>
    [Fact]
    public void EvaluateSplitNegatives_EveryStageOutputScoresCleanAndOtherBleedsApart()
    {
        var stages = WriteText("run/stages.csv", StagesFromFixture(("cnn:a", p => p), ("seq2:a", p => 1 - p)));
        var output = Path.Combine(_temp, "out");
        var plain = Path.Combine(_temp, "plain");

        var run = CliRun.Ich(["evaluate", "--stages", stages, "--labels", RsnaLabels, "--format", "rsna", "--out", output, "--bootstrap", "20", "--split-negatives"]);
        var without = CliRun.Ich(["evaluate", "--stages", stages, "--labels", RsnaLabels, "--format", "rsna", "--out", plain, "--bootstrap", "20"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(without.ExitCode == 0, without.ToString());
        Assert.False(Load(Path.Combine(plain, "cnn_a", "metrics.json")).TryGetProperty("negativeSplit", out _));
        var cnn = Load(Path.Combine(output, "cnn_a", "metrics.json"));
        var reversed = Load(Path.Combine(output, "seq2_a", "metrics.json"));
        var rows = cnn.GetProperty("negativeSplit").GetProperty("rows").EnumerateArray().ToList();
        var reversedRows = reversed.GetProperty("negativeSplit").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2 * (HemorrhageClasses.Count - 1), rows.Count);
        var defined = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, level, c) = (rows[i], rows[i].GetProperty("level").GetString()!, rows[i].GetProperty("class").GetString()!);
            Assert.Equal(cnn.GetProperty(level).GetProperty(c).GetProperty("nNegative").GetInt32(),
                row.GetProperty("clean").GetProperty("nNegative").GetInt32() + row.GetProperty("otherBleed").GetProperty("nNegative").GetInt32());
            foreach (var group in new[] { "clean", "otherBleed" })
            {
                var auc = row.GetProperty(group).GetProperty("auc");
                if (auc.ValueKind != JsonValueKind.Number || level != "slice") continue;
                Near(1 - auc.GetDouble(), reversedRows[i].GetProperty(group).GetProperty("auc").GetDouble(), $"{level} {c} {group}");
                defined++;
            }
        }
        Assert.True(defined > 0, "the fixture must have subtypes with both kinds of negatives");
        Assert.Contains("## Subtypes against clean items and against other bleeds", File.ReadAllText(Path.Combine(output, "seq2_a", "metrics.md")));
    }

    [Fact]
    public void EvaluateStages_AnOutputLacksASlice_FileRefusedNamingOutputAndSlice_PredictionsStillEvaluated()
    {
        var text = StagesFromFixture(("cnn:a", p => p), ("seq2:a", p => p));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var dropped = lines.Last(); // a seq2:a row: its slice is then covered by cnn:a only
        var stages = WriteText("run/stages.csv", string.Join('\n', lines.SkipLast(1)) + "\n");
        var output = Path.Combine(_temp, "out");

        var run = CliRun.Ich(["evaluate", "--pred", RsnaPredictions, "--stages", stages, "--labels", RsnaLabels, "--format", "rsna", "--out", output, "--bootstrap", "20"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(stages, run.Stderr);
        Assert.Contains("output 'seq2:a' lacks", run.Stderr);
        Assert.Contains(dropped.Split(',')[1], run.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "predictions", "metrics.json")), run.ToString());
        Assert.False(Directory.Exists(Path.Combine(output, "cnn_a")));
    }

    [Theory]
    [InlineData(new[] { "--stage-mean", "cnn:a+seq9:a" }, "'seq9:a', which is not an output")]
    [InlineData(new[] { "--stage-mean", "cnn:a+" }, "expected outputs joined by '+'")]
    [InlineData(new[] { "--stage-mean", "cnn:a+cnn:a" }, "lists an output twice")]
    public void EvaluateStages_BadMean_UsageErrorAndNothingWritten(string[] mean, string reason)
    {
        var stages = WriteText("run/stages.csv", StagesFromFixture(("cnn:a", p => p), ("seq2:a", p => p)));
        var output = Path.Combine(_temp, "out");

        var run = CliRun.Ich(["evaluate", "--stages", stages, .. mean, "--labels", RsnaLabels, "--format", "rsna", "--out", output, "--bootstrap", "20"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(reason, run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Evaluate_NamesThatShareAFolderName_UsageErrorBeforeAnyWork()
    {
        var a = WriteText("a/predictions.csv", File.ReadAllText(RsnaPredictions));
        var b = WriteText("b/predictions.csv", File.ReadAllText(RsnaPredictions));
        var output = Path.Combine(_temp, "out");

        // "seq1:x" and "seq1_x" are distinct names but the same folder name: the second would overwrite the first's results.
        var run = Evaluate([a, b], RsnaLabels, "rsna", output, ["--bootstrap", "20"], "--names", "seq1:x", "seq1_x");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("would share the output folder seq1_x", run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData(false, "nothing to evaluate")]
    [InlineData(true, "--stage-mean averages outputs of a --stages file")]
    public void Evaluate_NoPredictionsOrAMeanWithoutStages_UsageError(bool withMean, string reason)
    {
        var output = Path.Combine(_temp, "out");
        string[] args = ["evaluate", "--labels", RsnaLabels, "--format", "rsna", "--out", output];
        if (withMean) args = [.. args, "--pred", RsnaPredictions, "--stage-mean", "a+b"];

        var run = CliRun.Ich(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(reason, run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Evaluate_SameFileNameInTwoFolders_DistinctDefaultNamesFromTheFolders()
    {
        var a = WriteText("model-a/predictions.csv", File.ReadAllText(RsnaPredictions));
        var b = WriteText("model-b/predictions.csv", TransformScores(File.ReadAllText(RsnaPredictions), p => p * p));
        var output = Path.Combine(_temp, "out");

        var run = Evaluate([a, b], RsnaLabels, "rsna", output, ["--bootstrap", "20"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var names = Directory.GetDirectories(output).Select(d => Load(Path.Combine(d, "metrics.json")).GetProperty("name").GetString()!).ToList();
        Assert.Equal(2, names.Distinct().Count());
        Assert.Contains(names, n => n.Contains("model-a"));
        Assert.Contains(names, n => n.Contains("model-b"));
        var comparison = File.ReadAllText(Path.Combine(output, "comparison.md"));
        foreach (var n in names) Assert.Contains($"| {n} |", comparison);
    }

    [Fact]
    public void Evaluate_OneBadFileAmongSeveral_OthersStillEvaluatedAndExitNonZero()
    {
        var good = WriteText("good/predictions.csv", File.ReadAllText(RsnaPredictions));
        var bad = WriteText("bad/predictions.csv", "scan_id,slice_id\nx,y\n");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate([bad, good], RsnaLabels, "rsna", output, ["--bootstrap", "20"], "--names", "bad", "good");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(bad, run.Stderr);
        Assert.True(File.Exists(Path.Combine(output, "good", "metrics.json")), run.ToString());
        Assert.False(File.Exists(Path.Combine(output, "bad", "metrics.json")));
    }

    [Fact]
    public void EvaluateThresholds_ChosenOnOneRunAppliedToAnother_SameThresholdsAndHandCountedRates()
    {
        var first = Path.Combine(_temp, "first");
        var chosen = Evaluate(RsnaPredictions, RsnaLabels, "rsna", first, ["--bootstrap", "20"]);
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        var firstMetrics = Load(Path.Combine(first, "metrics.json"));
        var thresholdsFile = Path.Combine(first, "metrics.json");

        // Same data: the applied thresholds and operating points are the chosen ones.
        var same = Path.Combine(_temp, "same");
        var rerun = InputTree.Unchanged(() => Evaluate(RsnaPredictions, RsnaLabels, "rsna", same, ["--bootstrap", "20", "--thresholds", thresholdsFile]), first);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        var sameMetrics = Load(Path.Combine(same, "metrics.json"));
        Assert.Equal("file", sameMetrics.GetProperty("options").GetProperty("thresholdRule").GetString());
        foreach (var level in new[] { "slice", "scan" })
            foreach (var name in HemorrhageClasses.Names)
                foreach (var key in new[] { "threshold", "sensitivity", "specificity" })
                    NearOrNull(firstMetrics.GetProperty(level).GetProperty(name).GetProperty(key),
                        sameMetrics.GetProperty(level).GetProperty(name).GetProperty(key), $"{level} {name} {key}");

        // Other scores (squared): the fixed thresholds give the rates counted here by hand from the CSV files.
        var squared = WriteText("squared/predictions.csv", TransformScores(File.ReadAllText(RsnaPredictions), p => p * p));
        var other = Path.Combine(_temp, "other");
        var applied = Evaluate(squared, RsnaLabels, "rsna", other, ["--bootstrap", "20", "--thresholds", thresholdsFile]);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var otherAny = Load(Path.Combine(other, "metrics.json")).GetProperty("slice").GetProperty("any");
        var threshold = firstMetrics.GetProperty("slice").GetProperty("any").GetProperty("threshold").GetDouble();
        Assert.Equal(threshold, otherAny.GetProperty("threshold").GetDouble());
        var (sensitivity, specificity) = HandCountedAnySliceRates(squared, RsnaLabels, threshold);
        Assert.Equal(sensitivity, otherAny.GetProperty("sensitivity").GetDouble(), 12);
        Assert.Equal(specificity, otherAny.GetProperty("specificity").GetDouble(), 12);
    }

    [Fact]
    public void Evaluate_OutputWouldOverwriteAnInput_RefusedAndInputUntouched()
    {
        // A predictions file that happens to be called metrics.json inside the --out folder.
        var folder = Path.Combine(_temp, "shared-folder");
        var predictions = WriteText("shared-folder/metrics.json", File.ReadAllText(RsnaPredictions));

        var run = InputTree.Unchanged(() => Evaluate(predictions, RsnaLabels, "rsna", folder), folder);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(predictions, run.Stderr);
    }

    [Fact]
    public void EvaluateFixedThreshold_RsnaFixture_AnySliceRatesEqualHandCount()
    {
        var output = Path.Combine(_temp, "fixed");

        var run = Evaluate(RsnaPredictions, RsnaLabels, "rsna", output, ["--bootstrap", "20", "--threshold", "0.5"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var metrics = Load(Path.Combine(output, "metrics.json"));
        var any = metrics.GetProperty("slice").GetProperty("any");
        Assert.Equal(0.5, any.GetProperty("threshold").GetDouble());
        var (sensitivity, specificity) = HandCountedAnySliceRates(RsnaPredictions, RsnaLabels, 0.5);
        Assert.Equal(sensitivity, any.GetProperty("sensitivity").GetDouble(), 12);
        Assert.Equal(specificity, any.GetProperty("specificity").GetDouble(), 12);
        Assert.Equal(0.5, metrics.GetProperty("thresholds").GetProperty("scan").GetProperty("subdural").GetDouble());
    }

    [Fact]
    public void EvaluateLevelScan_RsnaFixture_OnlyTheScanLevelWithReferenceValues()
    {
        var expected = Load(Path.Combine(MetricsFixtures, "e2e-rsna", "expected.json"));
        var output = Path.Combine(_temp, "scan");

        var run = CliRun.Ich(["evaluate", "--pred", RsnaPredictions, "--labels", RsnaLabels, "--format", "rsna", "--level", "scan", "--out", output, .. Bootstrap(expected)]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var metrics = Load(Path.Combine(output, "metrics.json"));
        Assert.False(metrics.TryGetProperty("slice", out _), "--level scan must not report the slice level");
        SameLevel(expected.GetProperty("scan"), metrics.GetProperty("scan"), "e2e-rsna scan");
    }

    [Fact]
    public void Evaluate_FixedThresholdAndThresholdsFileTogether_UsageErrorBeforeAnyWork()
    {
        var first = Path.Combine(_temp, "first");
        Assert.Equal(0, Evaluate(RsnaPredictions, RsnaLabels, "rsna", first, ["--bootstrap", "20"]).ExitCode);
        var output = Path.Combine(_temp, "both");

        var run = Evaluate(RsnaPredictions, RsnaLabels, "rsna", output, ["--threshold", "0.5", "--thresholds", Path.Combine(first, "metrics.json")]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Evaluate_OutputFolderIsAnExistingFile_ClearErrorInsteadOfACrash()
    {
        var notAFolder = WriteText("taken", "an existing file where the output folder should go");

        var run = Evaluate(RsnaPredictions, RsnaLabels, "rsna", notAFolder, ["--bootstrap", "20"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(notAFolder, run.Stderr);
        Assert.Equal("an existing file where the output folder should go", File.ReadAllText(notAFolder));
    }

    /// <summary>
    /// --masks: slice AUC and sensitivity per lesion-size band, from phantom masks, hand-counted. Epidural positives:
    /// a1 (10 mm², score 0.3), b2 (500 mm², 0.9) and b3 (0.7, absent from the masks: its any and epidural labels are
    /// counted in a note, in no band);
    /// negatives score 0.1, 0.2, 0.4, 0.5, 0.05. Band under 25 mm²: 0.3 beats 3 of 5 negatives (AUC 0.6), below the
    /// threshold 0.35 (sensitivity 0); band 400 and more: AUC 1, sensitivity 1; the bands between hold no positive.
    /// </summary>
    [Fact]
    public void EvaluateMasks_SizeBandsEqualHandCount_AndSlicesWithoutMaskAreNoted()
    {
        var scores = new Dictionary<string, double> { ["a0"] = 0.1, ["a1"] = 0.3, ["a2"] = 0.2, ["a3"] = 0.4, ["b0"] = 0.5, ["b1"] = 0.05, ["b2"] = 0.9, ["b3"] = 0.7 };
        var positives = new HashSet<string> { "a1", "b2", "b3" };
        var predictions = new StringBuilder("scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural\n");
        var labels = new StringBuilder("ID,Label\n");
        foreach (var (slice, score) in scores)
        {
            var p = score.ToString(CultureInfo.InvariantCulture);
            predictions.Append(CultureInfo.InvariantCulture, $"scan-{slice[0]},1.2.{slice},{slice[1]},0,{p},{p},0.1,0.1,0.1,0.1\n");
            foreach (var c in HemorrhageClasses.Names)
                labels.Append(CultureInfo.InvariantCulture, $"1.2.{slice}_{c},{(positives.Contains(slice) && c is "any" or "epidural" ? 1 : 0)}\n");
        }
        var masks = Path.Combine(_temp, "masks");
        Directory.CreateDirectory(masks);
        static Ich.Synth.Output.SliceMasks Slice(string id, int epiduralPixels) => new($"1.2.{id}",
            [epiduralPixels == 0 ? [] : [(0, epiduralPixels)], [], [], [], []]);
        Ich.Synth.Output.BleedMaskFile.Write(Path.Combine(masks, "a.ichmask"), new(32, 32, 1.0, [Slice("a0", 0), Slice("a1", 10), Slice("a2", 0), Slice("a3", 0)]));
        Ich.Synth.Output.BleedMaskFile.Write(Path.Combine(masks, "b.ichmask"), new(32, 32, 1.0, [Slice("b0", 0), Slice("b1", 0), Slice("b2", 500)]));
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(WriteText("p.csv", predictions.ToString()), WriteText("l.csv", labels.ToString()), "rsna", output,
            ["--bootstrap", "50", "--threshold", "0.35", "--masks", masks]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = Load(Path.Combine(output, "metrics.json"));
        var bands = json.GetProperty("lesionSize").GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(HemorrhageClasses.Count * 4, bands.Count);
        foreach (var c in new[] { "any", "epidural" })
        {
            JsonElement Band(double min) => bands.Single(b => b.GetProperty("class").GetString() == c && b.GetProperty("minMm2").GetDouble() == min);
            Assert.Equal((1, 5, 0.6, 0.0), (Band(0).GetProperty("nPositive").GetInt32(), Band(0).GetProperty("nNegative").GetInt32(),
                Band(0).GetProperty("auc").GetDouble(), Band(0).GetProperty("sensitivity").GetDouble()));
            Assert.Equal((1, 1.0, 1.0), (Band(400).GetProperty("nPositive").GetInt32(), Band(400).GetProperty("auc").GetDouble(), Band(400).GetProperty("sensitivity").GetDouble()));
            Assert.Equal(JsonValueKind.Null, Band(400).GetProperty("maxMm2").ValueKind);
            foreach (var empty in new[] { 25.0, 100.0 })
                Assert.Equal((0, JsonValueKind.Null), (Band(empty).GetProperty("nPositive").GetInt32(), Band(empty).GetProperty("auc").ValueKind));
        }
        Assert.Contains(json.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("2 positive slice labels (slice, class) have no lesion area", StringComparison.Ordinal));
        var markdown = File.ReadAllText(Path.Combine(output, "metrics.md"));
        Assert.Contains("## Slice level by lesion size", markdown);
        Assert.Contains("| EDH | 0.600 (1) / 0.00 | – | – | 1.000 (1) / 1.00 |", markdown);
    }

    [Fact]
    public void EvaluateMasks_FolderMissing_UsageErrorNamingItAndNothingWritten()
    {
        var missing = Path.Combine(_temp, "no-masks-here");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(RsnaPredictions, RsnaLabels, "rsna", output, ["--bootstrap", "20", "--masks", missing]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(missing, run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// --scan-thickness: slice AUC per slice thickness, each group's slices among themselves, hand-counted. Scan a
    /// (0.625 mm, keyed by series_uid): positive a1 0.3 against negatives 0.1, 0.2, 0.4 → 2/3; scan b (5 mm, keyed by
    /// scan_id): positive 0.9 above both negatives → 1; scan c has no thickness and is noted, in no group.
    /// </summary>
    [Fact]
    public void EvaluateThickness_GroupsEqualHandCount_AndScansWithoutThicknessAreNoted()
    {
        var scores = new Dictionary<string, double> { ["a0"] = 0.1, ["a1"] = 0.3, ["a2"] = 0.2, ["a3"] = 0.4, ["b0"] = 0.5, ["b1"] = 0.05, ["b2"] = 0.9, ["c0"] = 0.6, ["c1"] = 0.2 };
        var positives = new HashSet<string> { "a1", "b2", "c0" };
        var (predictions, labels) = ScoredSlices(scores, positives);
        var thickness = WriteText("scans.csv", "scan_id,series_uid,thickness_mm\nphantom-a,scan-a,0.625\nscan-b,,5\n");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(predictions, labels, "rsna", output,
            ["--bootstrap", "50", "--scan-thickness", thickness]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = Load(Path.Combine(output, "metrics.json"));
        var groups = json.GetProperty("sliceThickness").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2 * HemorrhageClasses.Count, groups.Count);
        JsonElement Group(double mm, string c) => groups.Single(g => g.GetProperty("thicknessMm").GetDouble() == mm && g.GetProperty("class").GetString() == c);
        Assert.Equal((1, 1, 3), (Group(0.625, "any").GetProperty("scans").GetInt32(), Group(0.625, "any").GetProperty("nPositive").GetInt32(), Group(0.625, "any").GetProperty("nNegative").GetInt32()));
        Assert.Equal(2.0 / 3, Group(0.625, "any").GetProperty("auc").GetDouble(), 12);
        Assert.Equal(1.0, Group(5, "any").GetProperty("auc").GetDouble());
        Assert.Equal(JsonValueKind.Null, Group(5, "epidural").GetProperty("auc").ValueKind); // no epidural positive
        Assert.Contains(json.GetProperty("notes").EnumerateArray(), n => n.GetString() == $"1 scans have no thickness in {thickness} and are in no thickness group");
        var markdown = File.ReadAllText(Path.Combine(output, "metrics.md"));
        Assert.Contains("## Slice level by slice thickness", markdown);
        Assert.Contains("| 0.625 mm | 1 | 0.667 [0.67–0.67] (1) | – (0) |", markdown);
    }

    [Fact]
    public void EvaluateThickness_BadValue_UsageErrorNamingFileAndLine_NothingWritten()
    {
        var thickness = WriteText("scans.csv", "scan_id,thickness_mm\nscan-a,thin\n");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(RsnaPredictions, RsnaLabels, "rsna", output, ["--bootstrap", "20", "--scan-thickness", thickness]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("thickness_mm 'thin' is not a positive number of mm", run.Stderr);
        Assert.Contains(thickness, run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>
    /// --style-values: per parameter value, the group's slice AUC(any) and score levels, hand-counted. Grain 0 holds scans a
    /// and d: positive a1 0.3 against negatives 0.1, 0.2, 0.4, 0.1, 0.3, 0.7 → (3 + ½)/6; bleed-free d's 90th centile of
    /// 0.1, 0.3, 0.7 is 0.3 + 0.8·0.4 = 0.62; a's bleeding slices' median 0.3. Grain 5 holds b and c: 0.9 above every negative
    /// → 1; c's 90th centile of 0.2, 0.6 is 0.56; b's bleed 0.9. Scan e has no values and is noted.
    /// </summary>
    [Fact]
    public void EvaluateStyleValues_GroupsEqualHandCount_AndScansWithoutValuesAreNoted()
    {
        var scores = new Dictionary<string, double>
        {
            ["a0"] = 0.1, ["a1"] = 0.3, ["a2"] = 0.2, ["a3"] = 0.4, ["b0"] = 0.5, ["b1"] = 0.05, ["b2"] = 0.9,
            ["c0"] = 0.6, ["c1"] = 0.2, ["d0"] = 0.1, ["d1"] = 0.3, ["d2"] = 0.7, ["e0"] = 0.5,
        };
        var positives = new HashSet<string> { "a1", "b2" };
        var (predictions, labels) = ScoredSlices(scores, positives);
        var styles = WriteText("style_values.csv",
            "scan_id,series_uid,parameter,value\nphantom-a,scan-a,Grain,0\n,scan-b,Grain,5\nscan-c,,Grain,5\nphantom-d,scan-d,Grain,0\n");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(predictions, labels, "rsna", output,
            ["--bootstrap", "20", "--style-values", styles]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var json = Load(Path.Combine(output, "metrics.json"));
        var groups = json.GetProperty("styleParameters").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        var (low, high) = (groups[0], groups[1]);
        Assert.Equal(("Grain", 0.0, 0.0, 2, 1, 1), (low.GetProperty("parameter").GetString(), low.GetProperty("low").GetDouble(), low.GetProperty("high").GetDouble(),
            low.GetProperty("scans").GetInt32(), low.GetProperty("bleedFreeScans").GetInt32(), low.GetProperty("nPositive").GetInt32()));
        Assert.Equal(3.5 / 6, low.GetProperty("aucAny").GetDouble(), 12);
        Assert.Equal(0.62, low.GetProperty("falsePositiveLevel").GetDouble(), 12);
        Assert.Equal(0.3, low.GetProperty("bleedLevel").GetDouble(), 12);
        Assert.Equal(5.0, high.GetProperty("low").GetDouble());
        Assert.Equal(1.0, high.GetProperty("aucAny").GetDouble());
        Assert.Equal(0.56, high.GetProperty("falsePositiveLevel").GetDouble(), 12);
        Assert.Equal(0.9, high.GetProperty("bleedLevel").GetDouble(), 12);
        Assert.Contains(json.GetProperty("notes").EnumerateArray(), n => n.GetString() == $"1 scans have no style values in {styles} and are in no style group");
        var markdown = File.ReadAllText(Path.Combine(output, "metrics.md"));
        Assert.Contains("## Slice level by style parameter", markdown);
        Assert.Contains("| Grain | 0 | 2 (1) | 0.583 (1) | 0.620 | 0.300 |", markdown);
    }

    [Theory]
    [InlineData("scan-a,NoiseHu,loud", "value 'loud' of NoiseHu is not a finite number")]
    [InlineData("scan-a,Noise|Hu,3", "parameter name 'Noise|Hu' must be 1–64 letters, digits")]
    [InlineData("scan-a,NoiseHu,3\nscan-a,NoiseHu,4", "scan 'scan-a' has two values of NoiseHu")]
    public void EvaluateStyleValues_BadRow_UsageErrorNamingFileAndLine_NothingWritten(string rows, string reason)
    {
        var styles = WriteText("style_values.csv", "scan_id,parameter,value\n" + rows + "\n");
        var output = Path.Combine(_temp, "out");

        var run = Evaluate(RsnaPredictions, RsnaLabels, "rsna", output, ["--bootstrap", "20", "--style-values", styles]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(reason, run.Stderr);
        Assert.Contains(styles, run.Stderr);
        Assert.False(Directory.Exists(output));
    }

    // --- helpers ---

    /// <summary>
    /// predictions.csv and RSNA labels.csv of hand-made slices: slice "a1" is slice 1 of scan "scan-a" (series UID "scan-a"),
    /// P(any) its score and 0.1 for every subtype; a positive slice is labelled any and subdural.
    /// </summary>
    private (string Predictions, string Labels) ScoredSlices(Dictionary<string, double> scores, HashSet<string> positives)
    {
        var predictions = new StringBuilder("scan_id,slice_id,slice_index,z_mm,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural\n");
        var labels = new StringBuilder("ID,Label\n");
        foreach (var (slice, score) in scores)
        {
            var p = score.ToString(CultureInfo.InvariantCulture);
            predictions.Append(CultureInfo.InvariantCulture, $"scan-{slice[0]},1.2.{slice},{slice[1]},0,{p},0.1,0.1,0.1,0.1,0.1\n");
            foreach (var c in HemorrhageClasses.Names)
                labels.Append(CultureInfo.InvariantCulture, $"1.2.{slice}_{c},{(positives.Contains(slice) && c is "any" or "subdural" ? 1 : 0)}\n");
        }
        return (WriteText("p.csv", predictions.ToString()), WriteText("l.csv", labels.ToString()));
    }

    private static CliResult Evaluate(string predictions, string labels, string format, string output, string[]? extra = null) =>
        Evaluate([predictions], labels, format, output, extra);

    private static CliResult Evaluate(string[] predictions, string labels, string format, string output, string[]? extra, params string[] more) =>
        CliRun.Ich(["evaluate", "--pred", .. predictions, "--labels", labels, "--format", format, "--level", "both", "--out", output, .. extra ?? [], .. more]);

    /// <summary>The bootstrap settings the reference was computed with.</summary>
    private static string[] Bootstrap(JsonElement expected) =>
    [
        "--bootstrap", expected.GetProperty("bootstrap").GetProperty("resamples").GetInt32().ToString(CultureInfo.InvariantCulture),
        "--seed", expected.GetProperty("bootstrap").GetProperty("seed").GetUInt64().ToString(CultureInfo.InvariantCulture),
    ];

    private static void SameLevel(JsonElement expected, JsonElement actual, string what)
    {
        Assert.Equal(expected.GetProperty("n").GetInt32(), actual.GetProperty("n").GetInt32());
        Near(expected.GetProperty("weightedLogLoss").GetDouble(), actual.GetProperty("weightedLogLoss").GetDouble(), what + " weightedLogLoss");
        foreach (var name in HemorrhageClasses.Names)
        {
            Assert.True(actual.TryGetProperty(name, out var a), $"{what}: class '{name}' missing");
            var e = expected.GetProperty(name);
            foreach (var key in ClassContractKeys)
            {
                Assert.True(a.TryGetProperty(key, out var value), $"{what}.{name}.{key} missing");
                var ev = e.GetProperty(key);
                if (key.StartsWith('n')) Assert.Equal(ev.GetInt32(), value.GetInt32());
                else NearOrNull(ev, value, $"{what} {name} {key}");
            }
        }
    }

    /// <summary>Numbers within <see cref="Tolerance"/>; [low, high] pairs element-wise; null only where the reference is null.</summary>
    private static void NearOrNull(JsonElement expected, JsonElement actual, string what)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{what}: expected {expected}, got {actual}");
        if (expected.ValueKind == JsonValueKind.Number) Near(expected.GetDouble(), actual.GetDouble(), what);
        else if (expected.ValueKind == JsonValueKind.Array)
        {
            Assert.Equal(2, actual.GetArrayLength());
            Near(expected[0].GetDouble(), actual[0].GetDouble(), what + " (low)");
            Near(expected[1].GetDouble(), actual[1].GetDouble(), what + " (high)");
        }
    }

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R}");

    /// <summary>
    /// Slice-level "any" sensitivity and specificity at a fixed threshold (score ≥ threshold is positive), counted
    /// directly from predictions.csv and the RSNA long-format labels (ID_&lt;sop&gt;_any rows; exact duplicates allowed).
    /// </summary>
    private static (double Sensitivity, double Specificity) HandCountedAnySliceRates(string predictions, string labels, double threshold)
    {
        var l = CsvTable.Read(labels);
        var any = l.Rows.Where(r => r[0].EndsWith("_any", StringComparison.Ordinal))
            .GroupBy(r => r[0][..^"_any".Length])
            .ToDictionary(g => g.Key, g => g.Select(r => r[1].Trim()).Distinct().Single() == "1");
        var p = CsvTable.Read(predictions);
        int tp = 0, fn = 0, tn = 0, fp = 0;
        foreach (var row in p.Rows)
        {
            if (!any.TryGetValue(row[p.Require("slice_id")], out var positive)) continue;
            var predicted = double.Parse(row[p.Require("any")], CultureInfo.InvariantCulture) >= threshold;
            if (positive) { if (predicted) tp++; else fn++; }
            else { if (predicted) fp++; else tn++; }
        }
        Assert.True(tp + fn > 0 && tn + fp > 0, "the hand count needs both classes");
        return ((double)tp / (tp + fn), (double)tn / (tn + fp));
    }

    /// <summary>
    /// A stages.csv (long format: one row per slice and output) of the RSNA fixture's slices, each output's six
    /// probabilities the fixture's transformed by its function.
    /// </summary>
    private static string StagesFromFixture(params (string Output, Func<double, double> F)[] outputs)
    {
        var table = CsvTable.Read(RsnaPredictions);
        var text = new StringBuilder("scan_id,slice_id,slice_index,output," + string.Join(',', HemorrhageClasses.Names) + "\n");
        foreach (var (output, f) in outputs)
            foreach (var row in table.Rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"{row[table.Require("scan_id")]},{row[table.Require("slice_id")]},{row[table.Require("slice_index")]},{output}");
                foreach (var c in HemorrhageClasses.Names)
                    text.Append(',').Append(f(double.Parse(row[table.Require(c)], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture));
                text.Append('\n');
            }
        return text.ToString();
    }

    /// <summary>Applies <paramref name="f"/> to the six probability columns, keeping IDs, order and layout.</summary>
    private static string TransformScores(string csv, Func<double, double> f)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Trim().Split(',');
        var columns = HemorrhageClasses.Names.Select(n => Array.IndexOf(header, n)).ToArray();
        Assert.DoesNotContain(-1, columns);
        var text = new StringBuilder(lines[0].Trim()).Append('\n');
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Trim().Split(',');
            foreach (var c in columns)
                fields[c] = f(double.Parse(fields[c], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture);
            text.Append(string.Join(',', fields)).Append('\n');
        }
        return text.ToString();
    }

    private string WriteText(string relative, string text)
    {
        var path = Path.Combine(_temp, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static JsonElement Load(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
}
