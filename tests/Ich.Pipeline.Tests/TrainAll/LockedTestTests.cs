using System.Globalization;
using Ich.Application.TrainAll;
using Ich.Core.Errors;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using SkiaSharp;
using TorchSharp;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// The locked internal test of <c>ich train all</c> on a tiny PhysioNet-layout dataset (6 patients × 4 JPG slices):
/// the locked patients appear in no CNN fold, no out-of-fold store and no sequence OOF file, the finished model
/// predicts exactly them, and the card reports them in their own section; an ablation CNN run is trained and compared
/// (a provisional card, so marked, exists while it trains),
/// and style-shift phantoms are generated in their own style and scored.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public class LockedTestTests
{
    private static readonly string[] Locked = ["002", "005"];

    private static string Config(string dir, string physionet, string lockedPatients, string shiftStyle = "shifted") => $$"""
        {
          "out": "{{Json(Path.Combine(dir, "run"))}}",
          "phantoms": { "scans": 4, "seed": 41, "size": 64, "thickness": "5" },
          "datasets": [ { "kind": "physionet", "path": "{{Json(physionet)}}" } ],
          "lockedTest": { "kind": "physionet", "path": "{{Json(physionet)}}", "patients": [{{lockedPatients}}] },
          "cnn": {
            "a": { "backbone": "small", "imageSize": 32, "batchSize": 8, "epochs": 2, "folds": 2, "seed": 1, "selection": "last",
                   "sampling": { "kind": "uniform", "maxPerEpoch": 16 }, "augment": { "enabled": false }, "tta": 1 }
          },
          "seq": { "folds": 2, "epochs": 2, "milestones": [1], "batchScans": 4, "window": 8, "unknownSpacingMm": 5, "selection": "last",
                   "network": { "mlpHidden": 16, "mlpOut": 8, "gruHidden": 8, "gruLayers": 1, "dropout": 0.0, "convWide": 16, "convNarrow": 8 } },
          "model": { "out": "{{Json(Path.Combine(dir, "model"))}}", "name": "tiny", "version": "0.0.1" },
          "ablations": { "a-mask": { "of": "a", "maskLoss": 0.5, "trainFolds": 1 } },
          "styleShift": { "scans": 2, "seed": 43, "size": 64, "thickness": "5", "style": "{{shiftStyle}}", "labels": "visible" }
        }
        """;

    private static string Json(string path) => path.Replace("\\", "\\\\");

    [Fact]
    public void Run_LockedPatients_NeverTrainedOnAndScoredSeparately()
    {
        var dir = RepoPaths.NewTempDir("ich-locked-test");
        var physionet = WritePhysioNet(Path.Combine(dir, "physionet"));
        var configPath = Path.Combine(dir, "config.json");
        File.WriteAllText(configPath, Config(dir, physionet, string.Join(", ", Locked.Select(p => $"\"{p}\""))));
        var config = TrainAllConfig.Load(configPath);

        // Stopped once the ablation has started: the card is already there, provisional, with the model's measurements.
        var cardPath = Path.Combine(dir, "model", ModelCard.FileName);
        using var cts = new CancellationTokenSource();
        var stopped = new TrainAllPipeline(config, torch.CPU, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            new Ich.Application.Prediction.SyncProgress<Ich.Training.Cnn.TrainProgress>(_ => { if (File.Exists(cardPath)) cts.Cancel(); })).Run(cts.Token);
        Assert.False(stopped.Completed);
        var provisional = File.ReadAllText(cardPath);
        Assert.Contains("> **Provisional card.**", provisional);
        Assert.Contains("`a-mask`", provisional);
        Assert.Contains("| a-mask | maskLoss 0 → 0.5 | not trained yet |", provisional);
        Assert.Contains("## Locked internal test", provisional);
        Assert.Contains("## Style-shift phantoms", provisional);

        var result = new TrainAllPipeline(config, torch.CPU, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(CancellationToken.None);

        Assert.True(result.Completed);
        Assert.Equal(StageStatus.Ran, stopped.Stages.Single(s => s.Name == "locked-test").Status);
        // No fold of the CNN run and no out-of-fold file of the sequence stage holds a locked patient...
        var folds = File.ReadAllLines(Path.Combine(config.CnnFolder("a"), "folds.csv"));
        Assert.Contains(folds, l => l.StartsWith("physionet,001,", StringComparison.Ordinal));
        Assert.DoesNotContain(folds, l => Locked.Any(p => l.StartsWith($"physionet,{p},", StringComparison.Ordinal)));
        foreach (var oof in Directory.GetFiles(config.SeqFolder, "oof_*.csv"))
            Assert.DoesNotContain(File.ReadAllLines(oof).Skip(1), l => l.Split(',').Intersect(Locked).Any());
        // ...while the locked test predicted exactly them, every slice.
        var predicted = File.ReadAllLines(Path.Combine(LockedTestCheck.PredictionFolder(config), "predictions.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(Locked, predicted.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Locked.Length * 4, predicted.Count);
        var scored = LockedTestCheck.Evaluate(config);
        Assert.Equal(2, scored.Patients);
        Assert.Equal(8, scored.Levels.Single(l => l.Level == "slice").N);
        var card = File.ReadAllText(Path.Combine(dir, "model", ModelCard.FileName));
        Assert.Contains("## Locked internal test", card);
        Assert.Contains("002, 005", card);
        // The card's real-data limit counts the patients the model was trained on: 6 written, 2 locked away.
        Assert.Contains("Trained on very little real data: 4 real patients (physionet)", card);

        // The ablation retrained run "a" with the lever changed, and the card compares the two out of fold.
        Assert.Equal(StageStatus.Ran, result.Stages.Single(s => s.Name == "ablation-a-mask").Status);
        Assert.Equal(0.5, Ich.Training.Cnn.CnnTrainConfig.Load(Path.Combine(config.CnnFolder("a-mask"), "config.json")).MaskLoss);
        Assert.Contains("## Ablation: dense supervision and inserted bleeds", card);
        Assert.Contains("| a | as shipped |", card);
        Assert.Contains("| a-mask | maskLoss 0 → 0.5 |", card);
        // It trained fold 0 only (trainFolds 1), so both rows score fold 0's validation patients: the same slices.
        Assert.False(Directory.Exists(Path.Combine(config.CnnFolder("a-mask"), "fold1")));
        Assert.Contains("variants trained only fold 0 of its 2 CNN folds (`trainFolds`)", card);
        var ablationSection = card[card.IndexOf("## Ablation: dense supervision", StringComparison.Ordinal)..];
        ablationSection = ablationSection[..(ablationSection.IndexOf("\n## ", 3, StringComparison.Ordinal) is var end and > 0 ? end : ablationSection.Length)];
        var cells = (string run) => ablationSection.Split('\n').Where(l => l.StartsWith($"| {run} | ", StringComparison.Ordinal)).Select(l => l.Split('|')[3].Trim()).ToList();
        Assert.NotEmpty(cells("a"));
        Assert.Equal(cells("a"), cells("a-mask"));
        var fold0Slices = Ich.Training.Features.FeatureStore.Open(Path.Combine(config.CnnFolder("a"), "features", "oof")).Rows.Count(r => r.Fold == 0 && r.Dataset == "physionet");
        Assert.Contains(fold0Slices.ToString(System.Globalization.CultureInfo.InvariantCulture), cells("a"));
        Assert.DoesNotContain("Provisional card", card);
        Assert.DoesNotContain("not trained yet", card);

        // The style-shift phantoms were generated in their own style and scored in their own card section.
        Assert.Equal(StageStatus.Ran, stopped.Stages.Single(s => s.Name == "style-shift").Status);
        Assert.StartsWith("phantom-shifted-43-", File.ReadAllLines(Path.Combine(config.StyleShiftFolder, "phantoms", "scans.csv"))[1], StringComparison.Ordinal);
        Assert.Contains("## Style-shift phantoms", card);
        // ...with the label rule the config asked for, written into the set and stated in its card section.
        Assert.Equal(Ich.Synth.PhantomLabelRule.Visible, Ich.Synth.Output.SynthSettingsFile.LabelRule(Path.Combine(config.StyleShiftFolder, "phantoms")));
        Assert.Contains("thickness 5 (labels count only blood the noise-free image shows as blood, `--labels visible`)", card);
        Assert.False(HoldoutCheck.IsComplete(config, config.StyleShiftFolder, config.StyleShift! with { Labels = Ich.Synth.PhantomLabelRule.Geometric }));
        Assert.True(HoldoutCheck.IsComplete(config, config.StyleShiftFolder, config.StyleShift!));
        Assert.Contains("| style-shift phantoms |", card);
        // ...with its slice AUC by thickness: every scan is 5 mm here, so one row holding both scans, as ThicknessStrata scores it.
        var byThickness = HoldoutCheck.EvaluateByThickness(config.StyleShiftFolder);
        Assert.All(byThickness, s => Assert.Equal((5.0, 2), (s.ThicknessMm, s.Scans)));
        var shiftSection = card[card.IndexOf("## Style-shift phantoms", StringComparison.Ordinal)..];
        var row = shiftSection.Split('\n').Single(l => l.StartsWith("| 5 mm | 2 | ", StringComparison.Ordinal));
        var any = byThickness.Single(s => s.Class == "any");
        Assert.StartsWith(any.Auc is { } auc ? $"| 5 mm | 2 | {auc.ToString("0.000", CultureInfo.InvariantCulture)} " : $"| 5 mm | 2 | – ({any.NPositive}) ", row, StringComparison.Ordinal);

        // A second run finds the locked test complete; a changed patient list would not be.
        var again = new TrainAllPipeline(config, torch.CPU, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(CancellationToken.None);
        Assert.Equal(StageStatus.SkippedComplete, again.Stages.Single(s => s.Name == "locked-test").Status);
        Assert.False(LockedTestCheck.IsComplete(config with { LockedTest = config.LockedTest! with { Patients = ["002"] } }));
    }

    [Fact]
    public void Run_AblationsAtAShorterSchedule_AreComparedWithTheirReference()
    {
        var dir = RepoPaths.NewTempDir("ich-locked-test");
        var physionet = WritePhysioNet(Path.Combine(dir, "physionet"));
        var configPath = Path.Combine(dir, "config.json");
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("\"ablations\": { \"a-mask\": { \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 } }",
            "\"ablations\": { \"a-mask\": { \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1, \"epochs\": 1 }, \"a-ref\": { \"of\": \"a\", \"trainFolds\": 1, \"epochs\": 1 } }"));
        var config = TrainAllConfig.Load(configPath);
        Assert.Equal(1, config.AblationConfig("a-ref").Epochs);
        Assert.Equal(2, config.CnnConfig("a").Epochs);

        var result = new TrainAllPipeline(config, torch.CPU, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(CancellationToken.None);

        Assert.True(result.Completed);
        // Both trained one epoch of fold 0: the reference is run "a"'s recipe, the variant that with its lever changed.
        foreach (var name in new[] { "a-ref", "a-mask" })
            Assert.Equal(["1"], File.ReadAllLines(Path.Combine(config.CnnFolder(name), "metrics.csv")).Skip(1).Select(l => l.Split(',')[1]));
        Assert.True(Ich.Training.Cnn.CnnTrainConfig.Load(Path.Combine(config.CnnFolder("a-ref"), "config.json"))
            .TrainsLike(config.CnnConfig("a") with { Epochs = 1, TrainFolds = 1 }));
        var card = File.ReadAllText(Path.Combine(dir, "model", ModelCard.FileName));
        Assert.Contains("the `a` variants trained 1 epochs instead of its 2", card);
        var section = card[card.IndexOf("## Ablation: dense supervision", StringComparison.Ordinal)..];
        var rows = section.Split('\n').Select(l => l.Split('|')).Where(c => c.Length > 2 && c[1].Trim() is "a" or "a-ref" or "a-mask")
            .Select(c => c[1].Trim()).Take(3).ToList();
        Assert.Equal(["a-ref", "a-mask", "a"], rows); // the reference first, the shipped run last, for scale
        Assert.Contains("| a-ref | reference: 1 epochs, no lever changed |", card);
        Assert.Contains("| a | as shipped (2 epochs; for scale) |", card);
    }

    [Fact]
    public void Load_LockedPatientMissingOrDatasetNotTrainedOn_ConfigException()
    {
        var dir = RepoPaths.NewTempDir("ich-locked-test");
        var physionet = WritePhysioNet(Path.Combine(dir, "physionet"));
        var configPath = Path.Combine(dir, "config.json");

        // A typo in the list must not silently leave the patient in training.
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\", \"2\""));
        var config = TrainAllConfig.Load(configPath);
        var e = Assert.Throws<ConfigException>(() => Ich.Training.Cnn.TrainingData.Load(config.TrainingDatasets().Where(d => d.Kind == "physionet")));
        Assert.Contains("not found: 2", e.Message);

        File.WriteAllText(configPath, Config(dir, physionet, "").Replace("\"patients\": []", "\"patients\": [\"002\", \"002\"]"));
        Assert.Contains("twice", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);

        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace($"\"lockedTest\": {{ \"kind\": \"physionet\", \"path\": \"{Json(physionet)}\"",
            $"\"lockedTest\": {{ \"kind\": \"physionet\", \"path\": \"{Json(Path.Combine(dir, "elsewhere"))}\""));
        Assert.Contains("not one of the training datasets", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);

        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("{ \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 }", "{ \"of\": \"b\", \"maskLoss\": 0.5 }"));
        Assert.Contains("no cnn run 'b'", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("{ \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 }", "{ \"of\": \"a\", \"trainFolds\": 1 }"));
        Assert.Contains("changes nothing", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
        // At a shorter schedule: one reference (no lever changed) and the same epochs throughout, or the comparison means nothing.
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("{ \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 }", "{ \"of\": \"a\", \"maskLoss\": 0.5, \"epochs\": 1 }"));
        Assert.Contains("need exactly one reference that changes no lever", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("{ \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 }",
            "{ \"of\": \"a\", \"maskLoss\": 0.5, \"epochs\": 1 }, \"a-ref\": { \"of\": \"a\", \"epochs\": 2 }"));
        Assert.Contains("set the same epochs in all of them or in none", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("{ \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 }", "{ \"of\": \"a\", \"insertBleedsHostDatasets\": [\"physionett\"] }"));
        Assert.Contains("'physionett' is not one of the training datasets", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("{ \"of\": \"a\", \"maskLoss\": 0.5, \"trainFolds\": 1 }", "{ \"of\": \"a\", \"insertBleedsHostDatasets\": [\"phantom\"] }"));
        var hostsOnly = TrainAllConfig.Load(configPath);
        var ablation = hostsOnly.Ablations.Single().Value;
        Assert.Equal(["phantom"], hostsOnly.AblationConfig(hostsOnly.Ablations.Single().Key).InsertBleeds.HostDatasets);
        Assert.Equal("insertBleeds.hostDatasets all → phantom", ablation.Describe(hostsOnly.CnnConfig("a")));

        // Only an ablation may train fewer folds: the sequence stage needs every fold of a cnn run (refused at load, not hours later).
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"").Replace("\"folds\": 2, \"seed\": 1,", "\"folds\": 2, \"trainFolds\": 1, \"seed\": 1,"));
        Assert.Contains("cnn.a.trainFolds 1: the sequence stage needs every fold", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);

        // A "style shift" in the training phantoms' own style would measure nothing.
        File.WriteAllText(configPath, Config(dir, physionet, "\"002\"", shiftStyle: "standard"));
        Assert.Contains("styleShift.style 'standard' is the training phantoms' style", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
    }

    [Fact]
    public void Load_FlushDenormals_ReachesEveryTrainingStageFromTheTopLevelOnly()
    {
        var dir = RepoPaths.NewTempDir("ich-locked-test");
        var physionet = WritePhysioNet(Path.Combine(dir, "physionet"));
        var configPath = Path.Combine(dir, "config.json");
        var text = Config(dir, physionet, "\"002\"");

        File.WriteAllText(configPath, text);
        var exact = TrainAllConfig.Load(configPath);
        Assert.False(exact.CnnConfig("a").FlushDenormals);
        // Off, the option is not written: run folders trained before it existed still match their config (no retraining).
        Assert.DoesNotContain("flushDenormals", exact.CnnConfig("a").ToJson(), StringComparison.Ordinal);

        File.WriteAllText(configPath, text.Replace("\"phantoms\":", "\"flushDenormals\": true, \"phantoms\":"));
        var flushing = TrainAllConfig.Load(configPath);
        Assert.True(flushing.CnnConfig("a").FlushDenormals);
        Assert.True(flushing.AblationConfig("a-mask").FlushDenormals);
        Assert.True(flushing.SeqConfig().FlushDenormals);
        // A CNN run folder trained exactly is not resumed with flushing (nor the other way round).
        Assert.False(flushing.CnnConfig("a").TrainsLike(exact.CnnConfig("a")));

        File.WriteAllText(configPath, text.Replace("\"backbone\": \"small\",", "\"backbone\": \"small\", \"flushDenormals\": true,"));
        Assert.Contains("cnn.a.flushDenormals: give flushDenormals at the top level", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
        File.WriteAllText(configPath, text.Replace("\"seq\": { \"folds\": 2,", "\"seq\": { \"flushDenormals\": true, \"folds\": 2,"));
        Assert.Contains("seq.flushDenormals: give flushDenormals at the top level", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(configPath)).Message);
    }

    /// <summary>
    /// Six patients of four 64×64 slices: a round head (air outside, so `ich predict` accepts it as CT) with a bright
    /// rim in the bone window; patients 1, 3 and 5 have a bright intraparenchymal blob on slices 2–3.
    /// </summary>
    private static string WritePhysioNet(string root)
    {
        var rows = new List<string> { "PatientNumber,SliceNumber,Intraventricular,Intraparenchymal,Subarachnoid,Epidural,Subdural,No_Hemorrhage,Fracture_Yes_No" };
        var rng = new Random(5);
        for (var patient = 1; patient <= 6; patient++)
            for (var slice = 1; slice <= 4; slice++)
            {
                var bleed = patient % 2 == 1 && slice is 2 or 3;
                rows.Add(string.Create(CultureInfo.InvariantCulture, $"{patient},{slice},0,{(bleed ? 1 : 0)},0,0,0,{(bleed ? 0 : 1)},0"));
                foreach (var window in new[] { "brain", "bone" })
                    WriteJpeg(Path.Combine(root, "Patients_CT", patient.ToString("D3", CultureInfo.InvariantCulture), window, $"{slice}.jpg"), rng, bleed && window == "brain", window == "bone");
            }
        File.WriteAllLines(Path.Combine(root, "hemorrhage_diagnosis.csv"), rows);
        return root;
    }

    private static void WriteJpeg(string path, Random rng, bool blob, bool bone)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bmp = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 64; x++)
            {
                var r2 = (x - 32) * (x - 32) + (y - 32) * (y - 32);
                var v = r2 > 28 * 28 ? 0 : r2 > 25 * 25 ? (bone ? 230 : 255) : bone ? 40 + rng.Next(10)
                    : 60 + rng.Next(40) + (blob && (x - 30) * (x - 30) + (y - 34) * (y - 34) < 64 ? 120 : 0);
                bmp.SetPixel(x, y, new SKColor((byte)v, (byte)v, (byte)v));
            }
        using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }
}
