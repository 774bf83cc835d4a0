using System.Text.Json;
using Ich.Core.Errors;
using Ich.Model.Sequence;
using Ich.TestKit;
using Ich.Training.Features;
using Ich.Training;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Seq;

[Collection(TorchSerialCollection.Name)]
public class SeqTrainingTests
{
    private static SeqTrainConfig TinyConfig(string dir, bool half = false, int epochs = 3) => new()
    {
        OofStores = new() { ["alpha"] = Path.Combine(dir, "alpha"), ["beta"] = Path.Combine(dir, "beta") },
        Out = Path.Combine(dir, "run"),
        Folds = 3,
        Seed = 7,
        Epochs = epochs,
        Milestones = [2],
        BatchScans = 4,
        Window = 6,
        HalfPrecision = half,
        Network = TinySequenceBatch.Options(1) with { Dropout = 0.2 },
        BaseDirectory = dir,
    };

    private static string MakeStores(int patients = 12)
    {
        var dir = RepoPaths.NewTempDir("ich-seq");
        TinyFeatureStores.Write(Path.Combine(dir, "alpha"), "alpha", 8, patients, seed: 3);
        TinyFeatureStores.Write(Path.Combine(dir, "beta"), "beta", 5, patients, seed: 3);
        return dir;
    }

    [Fact]
    public void Run_TinyStores_WritesAblationOofCheckpointsAndManifest()
    {
        var dir = MakeStores();
        var config = TinyConfig(dir);
        var result = SeqRun.Run(config);
        var run = Path.Combine(dir, "run");

        // 2 systems × (CNN, +Seq1, +Seq2) + ensemble.
        Assert.Equal(7, result.Ablation.Count);
        Assert.StartsWith("Model ensemble (mean of 2 systems)", result.Ablation[^1].Stage);
        var totalSlices = FeatureStore.Open(Path.Combine(dir, "alpha")).Meta.Rows;
        Assert.All(result.Ablation, r => Assert.Equal(totalSlices, r.Slices));
        Assert.All(result.Ablation, r => Assert.InRange(r.WeightedLogLoss, 0, 5));
        var md = File.ReadAllText(Path.Combine(run, "ablation.md"));
        Assert.Contains("| 2D-CNN + SeqModel1 + SeqModel2 (beta) |", md);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "ablation.json")));
        Assert.Equal(7, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(6, json.RootElement.GetProperty("rows")[0].GetProperty("auc").GetArrayLength());
        Assert.Equal(6, json.RootElement.GetProperty("rows")[0].GetProperty("scanAuc").GetArrayLength());
        var jsonRows = json.RootElement.GetProperty("rows");
        Assert.Equal(result.Systems[0].Scans.Count, jsonRows[jsonRows.GetArrayLength() - 1].GetProperty("scans").GetInt32());
        Assert.All(result.Ablation, r => Assert.Equal(result.Systems[0].Scans.Count, r.Scans));
        Assert.Contains("| 2D-CNN + SeqModel1 + SeqModel2 (beta) | " + result.Systems[0].Scans.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " |", md);

        var oof = File.ReadAllLines(Path.Combine(run, "oof_alpha.csv"));
        Assert.Equal(totalSlices + 1, oof.Length);
        Assert.Equal(6 + 4 * 6, oof[0].Split(',').Length);
        foreach (var system in new[] { "alpha", "beta" })
            for (var k = 0; k < 3; k++) Assert.True(File.Exists(Path.Combine(run, "systems", system, $"fold{k}.state")));
        var manifest = JsonSerializer.Deserialize<SequenceManifest>(File.ReadAllText(Path.Combine(run, "sequence.json")), SeqTrainConfig.JsonOptions)!;
        Assert.Equal(8, manifest.Systems[0].Network.FeatureDim);
        Assert.Equal(3 * 3 * 2, File.ReadAllLines(Path.Combine(run, "training_log.csv")).Length - 1);
        Assert.Equal(6, result.OperatingPoint.Count);
        Assert.True(File.Exists(Path.Combine(run, SeqRun.OperatingPointFile)));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_SameSeedTwice_GivesBitIdenticalWeights()
    {
        var dir = MakeStores(9);
        var a = TinyConfig(dir, epochs: 2) with { Out = Path.Combine(dir, "a"), OofStores = new() { ["alpha"] = Path.Combine(dir, "alpha") } };
        var b = a with { Out = Path.Combine(dir, "b") };
        SeqRun.Run(a);
        SeqRun.Run(b);
        for (var k = 0; k < 3; k++)
        {
            var wa = File.ReadAllBytes(Path.Combine(dir, "a", "systems", "alpha", $"fold{k}.state"));
            var wb = File.ReadAllBytes(Path.Combine(dir, "b", "systems", "alpha", $"fold{k}.state"));
            Assert.Equal(wa, wb);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "a", "oof_alpha.csv")), File.ReadAllText(Path.Combine(dir, "b", "oof_alpha.csv")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_HalfPrecisionAndTestStore_PredictsTestScansFromReloadedFolds()
    {
        var dir = MakeStores(9);
        TinyFeatureStores.Write(Path.Combine(dir, "alpha-test"), "alpha", 8, 3, seed: 11, kind: "test");
        var config = TinyConfig(dir, half: true, epochs: 1) with
        {
            OofStores = new() { ["alpha"] = Path.Combine(dir, "alpha") },
            TestStores = new() { ["alpha"] = Path.Combine(dir, "alpha-test") },
        };
        SeqRun.Run(config);
        var lines = File.ReadAllLines(Path.Combine(dir, "run", "test_predictions.csv"));
        Assert.Equal("dataset,patient_id,scan_id,slice_id,slice_index,any,epidural,intraparenchymal,intraventricular,subarachnoid,subdural", lines[0]);
        Assert.Equal(FeatureStore.Open(Path.Combine(dir, "alpha-test")).Meta.Rows + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.All(l.Split(',').Skip(5), v => Assert.InRange(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture), 0, 1)));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Load_StoreWithoutPositions_NeedsUnknownSpacing()
    {
        var dir = RepoPaths.NewTempDir("ich-seq");
        TinyFeatureStores.Write(Path.Combine(dir, "nz"), "nz", 4, 3, seed: 1, withZ: false);
        var store = FeatureStore.Open(Path.Combine(dir, "nz"));
        var ex = Assert.Throws<DatasetFormatException>(() => SequenceDataset.Load([store], null, true));
        Assert.Contains("unknownSpacingMm", ex.Message);
        var (scans, _) = SequenceDataset.Load([store], 5.0, true);
        Assert.Equal(new[] { 0.0, 5, 10 }, scans[0].Data.PositionsMm.Take(3));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_ThreeWindowsPerScan_TakesThreeTimesTheStepsPerEpoch()
    {
        var dir = MakeStores();
        SeqRun.Run(TinyConfig(dir, epochs: 1) with { Systems = [["alpha"]] });
        var once = StepsPerEpoch(Path.Combine(dir, "run"));
        SeqRun.Run(TinyConfig(dir, epochs: 1) with { Systems = [["alpha"]], WindowsPerScan = 3, Out = Path.Combine(dir, "run3") });
        var thrice = StepsPerEpoch(Path.Combine(dir, "run3"));

        // Training scans per fold = scans outside it (from the OOF file); batches of 4 windows.
        var oof = Ich.Core.Text.CsvTable.Read(Path.Combine(dir, "run", "oof_alpha.csv"));
        var (scanCol, foldCol) = (oof.Require("scan_id"), oof.Require("seq_fold"));
        var scanFold = oof.Rows.Select(r => (Scan: r[scanCol], Fold: int.Parse(r[foldCol], System.Globalization.CultureInfo.InvariantCulture))).Distinct().ToList();
        var trainScans = Enumerable.Range(0, 3).Select(k => scanFold.Count(x => x.Fold != k)).ToArray();
        Assert.Equal(trainScans.Select(n => (n + 3) / 4), once);
        Assert.Equal(trainScans.Select(n => (3 * n + 3) / 4), thrice);
        Assert.All(once.Zip(thrice), p => Assert.True(p.Second >= 3 * p.First - 2));
        Directory.Delete(dir, true);
    }

    private static int[] StepsPerEpoch(string run)
    {
        var log = Ich.Core.Text.CsvTable.Read(Path.Combine(run, "training_log.csv"));
        var steps = log.Require("steps");
        return log.Rows.Select(r => int.Parse(r[steps], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void Assign_PatientsWithTwoScans_NeverSplitAcrossFolds()
    {
        var scans = Enumerable.Range(0, 20).Select(i => new SeqScan("d", $"P{i / 2}", $"S{i}", [],
            new SequenceScanData([], [], []))).ToList();
        var folds = PatientFolds.Assign(scans, 4, seed: 5);
        for (var i = 0; i < 20; i += 2) Assert.Equal(folds[i], folds[i + 1]);
        Assert.Equal(4, folds.Distinct().Count());
        Assert.Throws<ConfigException>(() => PatientFolds.Assign(scans, 11, 5));
    }

    [Fact]
    public void Assign_FewPositivePatients_EveryFoldGetsOne()
    {
        // 4 positive patients among 20: unstratified dealing could leave a fold without any hemorrhage.
        var scans = Enumerable.Range(0, 20).Select(i =>
        {
            var labels = new float[3 * 6];
            if (i % 5 == 0) labels[6] = 1; // slice 1 "any"
            return new SeqScan("d", $"P{i}", $"S{i}", ["a", "b", "c"], new SequenceScanData([], [], [0, 5, 10], null, labels));
        }).ToList();
        for (var seed = 0; seed < 10; seed++)
        {
            var folds = PatientFolds.Assign(scans, 4, seed);
            var positiveFolds = scans.Select((s, i) => (s, i)).Where(t => t.i % 5 == 0).Select(t => folds[t.i]).Distinct().Count();
            Assert.Equal(4, positiveFolds);
        }
    }

    [Fact]
    public void Sample_AlwaysEveryOtherAndReverse_HalvesSlicesDoublesSpacingAndReverses()
    {
        var scan = new SequenceScanData([], [], Enumerable.Range(0, 12).Select(i => 2.5 * i).ToArray());
        var sampler = new WindowSampler(window: 24, everyOtherProbability: 1, everyOtherMinSlices: 10, reverseProbability: 1);
        var view = sampler.Sample(scan, new Random(1));
        Assert.Equal(6, view.Indices.Length);
        Assert.True(view.Indices.Zip(view.Indices.Skip(1)).All(p => p.First - p.Second == 2), "reversed, every other slice");
        Assert.All(view.DeltaZ(), dz => Assert.Equal(5f, dz));

        var windowed = new WindowSampler(4, 0, 10, 0).Sample(scan, new Random(2));
        Assert.Equal(4, windowed.Indices.Length);
        Assert.True(windowed.Indices.Zip(windowed.Indices.Skip(1)).All(p => p.Second - p.First == 1), "contiguous window");
    }

    [Fact]
    public void Load_ConfigWithUnknownKey_FailsNamingTheKey()
    {
        var dir = RepoPaths.NewTempDir("ich-seq");
        var path = Path.Combine(dir, "seq.json");
        File.WriteAllText(path, """{ "oofStores": { "a": "a" }, "epochz": 3 }""");
        var ex = Assert.Throws<ConfigException>(() => SeqTrainConfig.Load(path));
        Assert.Contains("epochz", ex.Message);
        Directory.Delete(dir, true);
    }
}

public class SeqConfigFilesTests
{
    [Theory]
    [InlineData("seq.json")]
    [InlineData("seq-stacked.json")]
    public void Load_CommittedConfig_IsValid(string name)
    {
        var config = SeqTrainConfig.Load(Path.Combine(RepoPaths.Root, "configs", name));
        Assert.NotEmpty(config.EffectiveSystems());
        Assert.Equal(40, config.Epochs);
    }
}
