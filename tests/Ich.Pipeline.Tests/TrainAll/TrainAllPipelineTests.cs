using System.Globalization;
using System.Security.Cryptography;
using Ich.Pipeline.Tests.Predict;
using Ich.Core.Errors;
using Ich.Model.Folder;
using Ich.Inference.Pipeline;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using Ich.Application.Prediction;
using Ich.Application.TrainAll;
using Ich.Training.Sequence;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using TorchSharp;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// <c>ich train all</c> end to end on a tiny config (6 phantoms at 64 px, CNNs at 32–48 px, 1 epoch, 2 folds):
/// every stage runs, the model folder loads and predicts the sample study, the card's numbers are the run's
/// own, and a second invocation skips the finished stages.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public class TrainAllPipelineTests
{
    internal static string TinyConfig(string dir, ulong holdoutSeed = 32, string cnnExtra = "", string modelExtra = "", string topExtra = "") => $$"""
        {
          // tiny end-to-end config for tests
          {{topExtra}}
          "out": "{{Json(Path.Combine(dir, "run"))}}",
          "phantoms": { "scans": 6, "seed": 31, "size": 64, "thickness": "5" },
          "cnn": {
            "a": { "backbone": "small", "imageSize": 48, "batchSize": 8, "epochs": 1, "folds": 2, "seed": 1,
                   "sampling": { "kind": "uniform", "maxPerEpoch": 16 }, "augment": { "enabled": false }, "tta": 1 {{cnnExtra}} },
            "b": { "backbone": "small", "imageSize": 32, "batchSize": 8, "epochs": 1, "folds": 2, "seed": 2,
                   "sampling": { "kind": "uniform", "maxPerEpoch": 16 }, "augment": { "enabled": false }, "tta": 2 }
          },
          "seq": { "folds": 2, "epochs": 1, "milestones": [1], "batchScans": 4, "window": 8,
                   "network": { "mlpHidden": 16, "mlpOut": 8, "gruHidden": 8, "gruLayers": 1, "dropout": 0.0, "convWide": 16, "convNarrow": 8 } },
          "model": { "out": "{{Json(Path.Combine(dir, "model"))}}", "name": "tiny", "version": "0.0.1" {{modelExtra}} },
          "holdout": { "scans": 3, "seed": {{holdoutSeed}}, "size": 64, "thickness": "5" }
        }
        """;

    private static string Json(string path) => path.Replace("\\", "\\\\");

    internal static string WriteConfig(string dir, string text)
    {
        var path = Path.Combine(dir, "tiny.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static TrainAllResult Run(string configPath, List<string> log) =>
        new TrainAllPipeline(TrainAllConfig.Load(configPath), torch.CPU, new ActionLogger(log.Add)).Run(CancellationToken.None);

    [Fact]
    public void Run_TinyConfig_ModelLoadsPredictsAndSecondRunSkipsFinishedStages()
    {
        var dir = RepoPaths.NewTempDir("ich-train-all");
        var configPath = WriteConfig(dir, TinyConfig(dir));
        var log = new List<string>();

        var first = Run(configPath, log);

        Assert.True(first.Completed);
        Assert.Equal(["phantoms", "cnn-a", "cnn-b", "seq", "model", "holdout", "style-shift", "locked-test", "card"], first.Stages.Select(s => s.Name));
        Assert.All(first.Stages, s => Assert.Equal(s.Name is "locked-test" or "style-shift" ? StageStatus.Absent : StageStatus.Ran, s.Status));
        var model = Path.Combine(dir, "model");
        Assert.True(first.ModelBytes > 0);
        using (var bundle = ModelBundle.Load(model))
        {
            Assert.Equal(["a", "b"], bundle.Manifest.Backbones.Select(b => b.Name));
            Assert.All(bundle.Manifest.Backbones, b => Assert.Equal(2, b.Checkpoints.Count));
            // The shipped thresholds are the reader operating points recorded beside them (unflagged class = null).
            Assert.Equal(ReadOperatingPoints(model).Select(o => o.Flag ? o.Threshold : null), bundle.Manifest.OperatingPoint.InClassOrder);
        }

        // The packaged folder predicts the README's sample study through the CLI entry point.
        var outDir = Path.Combine(dir, "predict");
        var summary = JobRun.Paths([Path.Combine(RepoPaths.Root, "samples", "phantom-study")], outDir, model, new PredictorOptions(8, GradCamMode.None));
        Assert.Equal(0, summary.Failed);
        var rows = File.ReadAllLines(Path.Combine(outDir, "predictions.csv")).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.Equal(25, rows.Count); // the sample study has 25 slices (samples/phantom-study/README.md)
        Assert.All(rows, r => Assert.All(r.Split(',').Skip(4).Take(6), v => Assert.InRange(double.Parse(v, CultureInfo.InvariantCulture), 0, 1)));

        // The card's out-of-fold AUC(any) equals a Mann–Whitney count over the run's own OOF files.
        var card = File.ReadAllText(Path.Combine(model, ModelCard.FileName));
        var (positives, auc) = OofAucAny(Path.Combine(dir, "run", "seq"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"| any | {positives} | {auc:0.000} |"), card);
        // The answer out of fold, as a predictions file, scores the same with `ich evaluate` and the phantoms' own labels.
        var answer = Path.Combine(dir, "run", "seq", OofAnswerFiles.Folder, "phantom.csv");
        File.WriteAllText(Path.Combine(dir, "run", "seq", OofAnswerFiles.Folder, "gone.csv"), "a dataset of an earlier run");
        ModelPackager.Package(TrainAllConfig.Load(configPath).SeqConfig()); // repackaging leaves only the run's own datasets
        Assert.Equal([answer], Directory.GetFiles(Path.Combine(dir, "run", "seq", OofAnswerFiles.Folder)));
        // The answer ships in the model folder too, so the card can be rescored without the run folder; the phantoms'
        // stages file does not (its size), and this run has no other dataset.
        Assert.Equal(File.ReadAllBytes(answer), File.ReadAllBytes(Path.Combine(model, OofEvidence.Folder, "answer", "phantom.csv")));
        Assert.False(Directory.Exists(Path.Combine(model, OofEvidence.Folder, "stages")));
        var scored = Evaluator.Run("answer", answer, Path.Combine(dir, "run", "phantoms", "labels.csv"), LabelFormat.Rsna,
            new EvaluationOptions { BootstrapResamples = 1 });
        var slice = scored.Levels.Single(l => l.Level == "slice");
        Assert.Equal((0, 0), (scored.Join.PredictionsWithoutLabel, scored.Join.LabelsWithoutPrediction));
        Assert.Equal(positives, slice.Classes[0].NPositive);
        Assert.Equal(auc, slice.Classes[0].Auc!.Value, 3); // the file holds 6 significant digits
        // Every stage out of fold, per dataset, as a stages file: the mean of the SeqModel2s is the answer file (the default ensemble).
        var stagesPath = Path.Combine(dir, "run", "seq", OofStageFiles.Folder, "phantom.csv");
        var stages = StageFile.Read(stagesPath);
        Assert.Equal(["cnn:a", "seq1:a", "seq2:a", "cnn:b", "seq1:b", "seq2:b"], stages.Outputs);
        var answerRows = PredictionFile.Read(answer).ToDictionary(r => (r.ScanId, r.SliceId));
        var released = stages.Mean(["seq2:a", "seq2:b"]);
        Assert.Equal(answerRows.Count, released.Count);
        foreach (var r in released)
            for (var c = 0; c < 6; c++) Assert.Equal(answerRows[(r.ScanId, r.SliceId)].Probabilities[c], r.Probabilities[c], tolerance: 2e-6); // both files hold 6 significant digits
        // `ich oof-stages` writes the same files for a finished run without repackaging it; a folder that is no run is refused.
        var packaged = File.ReadAllBytes(stagesPath);
        File.Delete(stagesPath);
        var rewritten = Cli.CliRun.Ich("oof-stages", Path.Combine(dir, "run", "seq"));
        Assert.True(rewritten.ExitCode == 0, rewritten.ToString());
        Assert.Contains(stagesPath, rewritten.Stdout);
        Assert.Equal(packaged, File.ReadAllBytes(stagesPath));
        var notRun = Cli.CliRun.Ich("oof-stages", Path.Combine(dir, "run"));
        Assert.True(notRun.ExitCode == 2, notRun.ToString());
        Assert.Contains("sequence.json", notRun.Stderr);
        Assert.Equal(2, Cli.CliRun.Ich("oof-stages", Path.Combine(dir, "nowhere")).ExitCode);
        // Per dataset, the subtypes against clean slices and against other bleeds: a row per subtype.
        Assert.Contains("| level | class | positives | against clean items | against other bleeds |", card);
        foreach (var abbreviation in new[] { "EDH", "IPH", "IVH", "SAH", "SDH" })
            Assert.Contains($"| slice | {abbreviation} | ", card);
        Assert.Contains("## Held-out phantoms", card);
        Assert.Contains("`ich synth --seed 31 --size 64 --thickness 5 --scans 6 --style standard`", card); // the phantoms can be redrawn exactly
        Assert.Contains("not for diagnosis", card);
        Assert.Contains("Trained on synthetic phantoms only, no real patient", card); // the tiny run has no real dataset
        Assert.Contains("`model.ensemble`: `mean-seqmodel2`", card);
        // The shipped answer has its own ablation row; for the SeqModel2 mean it is the sequence stage's ensemble row again
        // (slice and scan tables), computed apart from it (the OOF files, not the stage's arrays).
        var ensembleRows = NumbersOfRows(card, "| Model ensemble (mean of 2 systems) |");
        var shippedRows = NumbersOfRows(card, "| The model's answer (as shipped) |");
        Assert.Equal(2, shippedRows.Count);
        Assert.Equal(ensembleRows.Count, shippedRows.Count);
        for (var r = 0; r < shippedRows.Count; r++)
        {
            Assert.Equal(ensembleRows[r].Length, shippedRows[r].Length);
            for (var c = 0; c < shippedRows[r].Length; c++)
                if (!(double.IsNaN(ensembleRows[r][c]) && double.IsNaN(shippedRows[r][c])))
                    // The OOF files hold 6 significant digits: rounding can tie (or untie) a pair of the tiny run's slices,
                    // which moves an AUC by about 1/(positives × negatives).
                    Assert.Equal(ensembleRows[r][c], shippedRows[r][c], 2e-3);
        }
        using (var bundle = ModelBundle.Load(model)) // the default ensemble is the released code's, and says so
            Assert.Equal([new EnsembleMember("a", SequenceOutput.SeqModel2), new EnsembleMember("b", SequenceOutput.SeqModel2)], bundle.Manifest.EnsembleMembers());
        Assert.Equal(EnsembleRule.MeanSeqModel2, EnsembleSelection.Read(model).Rule);

        var hashes = Hashes(model);
        var second = Run(configPath, log);
        Assert.True(second.Completed);
        Assert.All(second.Stages.Where(s => s.Name is not ("model" or "card" or "locked-test" or "style-shift")), s => Assert.Equal(StageStatus.SkippedComplete, s.Status));
        Assert.Equal(hashes, Hashes(model)); // repackaging the same runs gives the same bytes
        // A stage stamp written before a defaulted option existed still marks the sequence stage finished.
        var stamp = Path.Combine(dir, "run", "seq", "train-all.done.json");
        File.WriteAllText(stamp, OlderFingerprint.WithoutNetworkOption(File.ReadAllText(stamp), "stage2CnnProbabilities"));
        var third = Run(configPath, log);
        Assert.Equal(StageStatus.SkippedComplete, third.Stages.Single(s => s.Name == "seq").Status);

        // Shipping fewer CNN folds than were trained: one checkpoint per backbone, and the folder still predicts.
        var seq = TrainAllConfig.Load(configPath).SeqConfig();
        ModelPackager.Package(seq with { Model = seq.Model! with { CnnFolds = 1 } });
        using (var bundle = ModelBundle.Load(model))
            Assert.All(bundle.Manifest.Backbones, b => Assert.Equal(["cnn/" + b.Name + "/fold0.state"], b.Checkpoints));
        // The folder is replaced, not overlaid: no checkpoint of the earlier packaging is left behind.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(model, "cnn"), "fold1.state", SearchOption.AllDirectories));
        var oneFold = JobRun.Paths([Path.Combine(RepoPaths.Root, "samples", "phantom-study")], Path.Combine(dir, "predict-1fold"), model,
            new PredictorOptions(8, GradCamMode.None));
        Assert.Equal((1, 0), (oneFold.Succeeded, oneFold.Failed));
        // The card says what the folder ships: every trained fold scores out of fold, the shipped one the checks.
        var full = TrainAllConfig.Load(configPath);
        var oneFoldCard = File.ReadAllText(ModelCard.Write(full with { Model = full.Model with { CnnFolds = 1 } }, StageTimings.Read(Path.Combine(dir, "run"))));
        Assert.Contains("The model folder ships CNN fold 0 of each backbone, so the sequence systems run once per scan", oneFoldCard);
        // Every stage ran in this folder, so the total is the whole training time.
        Assert.Matches(@"\| total \| \d+\.\d \|", oneFoldCard);
        Assert.DoesNotContain("not timed here", oneFoldCard);
        // A CNN run made elsewhere and reused (complete when the run reached it) has no time here: the card names it.
        var reused = new StageTimings();
        foreach (var (stage, seconds) in StageTimings.Read(Path.Combine(dir, "run")).Entries.Where(e => e.Stage.Name != "cnn-b")) reused.Add(stage, seconds);
        var reusedCard = File.ReadAllText(ModelCard.Write(full, reused));
        Assert.Contains("| cnn-b | not timed here: complete when this run folder reached it (reused from another run) |", reusedCard);
        Assert.Matches(@"\| total of the timed stages \| \d+\.\d \|", reusedCard);
        Assert.DoesNotContain("| cnn-a | not timed", reusedCard);

        // Operating points calibrated on a dataset the run lacks: a config error naming it. On the run's only dataset
        // they are the pooled ones, and each says which scans chose it.
        var pooled = ReadOperatingPoints(model);
        var absent = Assert.Throws<ConfigException>(() => ModelPackager.Package(seq with
            { Model = seq.Model! with { OperatingPoints = new ReaderCalibration { Datasets = ["physionet"] } } }));
        Assert.Contains("'physionet' has no out-of-fold scan", absent.Message);
        ModelPackager.Package(seq with { Model = seq.Model! with { OperatingPoints = new ReaderCalibration { Datasets = ["phantom"], MinScans = 1 } } });
        var calibrated = ReadOperatingPoints(model);
        Assert.Equal(pooled.Select(p => p.Threshold), calibrated.Select(p => p.Threshold));
        Assert.All(calibrated, p => Assert.Matches(@"^(phantom \(6 scans\)|all \(6 scans\): phantom has \d+ positive and \d+ negative scans of this class \(< 1\))$", p.CalibratedOn));

        // The cross-validated ensemble: one choice per sequence fold, the shipped members are the record's, and only the systems
        // and backbones they use are shipped; the folder still predicts.
        ModelPackager.Package(seq with { Model = seq.Model! with { Ensemble = EnsembleRule.CvSelected } });
        var choice = EnsembleSelection.Read(model);
        Assert.Equal((EnsembleRule.CvSelected, 2, 15), (choice.Rule, choice.PerFold.Count, choice.Candidates.Count));
        using (var bundle = ModelBundle.Load(model))
        {
            Assert.Equal(choice.Shipped, bundle.Manifest.EnsembleMembers());
            var used = choice.Shipped.Select(m => m.System).Distinct().Order().ToList();
            Assert.Equal(used, bundle.Manifest.Sequence!.Systems.Select(x => x.Name).Order());
            Assert.Equal(used, bundle.Manifest.Backbones.Select(b => b.Name).Order());
        }
        var selected = JobRun.Paths([Path.Combine(RepoPaths.Root, "samples", "phantom-study")], Path.Combine(dir, "predict-selected"), model,
            new PredictorOptions(8, GradCamMode.None));
        Assert.Equal((1, 0), (selected.Succeeded, selected.Failed));

        // mean-all: both outputs of every system, fixed (no per-fold choice); the folder ships every system and still predicts.
        ModelPackager.Package(seq with { Model = seq.Model! with { Ensemble = EnsembleRule.MeanAll } });
        var meanAll = EnsembleSelection.Read(model);
        Assert.Equal((EnsembleRule.MeanAll, 0, 1), (meanAll.Rule, meanAll.PerFold.Count, meanAll.Candidates.Count));
        using (var bundle = ModelBundle.Load(model))
        {
            var systems = bundle.Manifest.Sequence!.Systems.Select(x => x.Name).ToList();
            Assert.Equal(2, systems.Count);
            Assert.Equal(systems.SelectMany(x => new[] { new EnsembleMember(x, SequenceOutput.SeqModel1), new EnsembleMember(x, SequenceOutput.SeqModel2) }),
                bundle.Manifest.EnsembleMembers());
            Assert.Contains("every system's SeqModel1 and SeqModel2", bundle.Manifest.Ensemble!.Description);
        }
        ModelCard.Write(TrainAllConfig.Load(configPath), new StageTimings()); // the card reads the rule from the packaged folder
        var meanAllCard = File.ReadAllText(Path.Combine(model, ModelCard.FileName));
        Assert.Contains("`model.ensemble`: `mean-all`", meanAllCard);
        // Its answer row is the mean of all four outputs: its slice log-loss is the one the ensemble section states.
        var stated = double.Parse(System.Text.RegularExpressions.Regex.Match(meanAllCard, @"weighted log-loss on every scan: ([0-9]+\.[0-9]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(stated, NumbersOfRows(meanAllCard, "| The model's answer (as shipped) |")[0][1], 2e-4);
        var averaged = JobRun.Paths([Path.Combine(RepoPaths.Root, "samples", "phantom-study")], Path.Combine(dir, "predict-mean-all"), model,
            new PredictorOptions(8, GradCamMode.None));
        Assert.Equal((1, 0), (averaged.Succeeded, averaged.Failed));

        // A changed CNN config must not silently reuse (or overwrite) the finished run.
        var changed = WriteConfig(dir, TinyConfig(dir, cnnExtra: ", \"lr\": 0.002"));
        var e = Assert.Throws<ConfigException>(() => Run(changed, log));
        Assert.Contains("different config", e.Message);
    }

    /// <summary>The numeric cells of every card table row that starts with <paramref name="prefix"/> ("n/a" as NaN).</summary>
    private static List<double[]> NumbersOfRows(string card, string prefix) =>
        card.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => l[prefix.Length..].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => v == "n/a" ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToList();

    private static List<ReaderOperatingPoint> ReadOperatingPoints(string model) =>
        System.Text.Json.JsonSerializer.Deserialize<List<ReaderOperatingPoint>>(
            File.ReadAllText(Path.Combine(model, ModelPackager.ReaderOperatingPointFile)), SeqTrainConfig.JsonOptions)!;

    [Fact]
    public void Load_OperatingPointsWithoutDatasets_ConfigExceptionNamingTheKey()
    {
        var dir = RepoPaths.NewTempDir("ich-train-all");
        var e = Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir,
            TinyConfig(dir, modelExtra: ", \"operatingPoints\": { \"datasets\": [] }"))));
        Assert.Contains("model.operatingPoints.datasets", e.Message);
        var nullList = Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir,
            TinyConfig(dir, modelExtra: ", \"operatingPoints\": { \"datasets\": null }"))));
        Assert.Contains("model.operatingPoints.datasets", nullList.Message);
        // The tiny run trains on phantoms only: calibrating on physionet is caught at load, not after training.
        var absent = Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir,
            TinyConfig(dir, modelExtra: ", \"operatingPoints\": { \"datasets\": [\"physionet\"] }"))));
        Assert.Contains("'physionet' is not a training dataset (training datasets: phantom)", absent.Message);
        var ok = TrainAllConfig.Load(WriteConfig(dir, TinyConfig(dir, modelExtra: ", \"operatingPoints\": { \"datasets\": [\"phantom\"], \"minScans\": 5 }")));
        Assert.Equal(["phantom"], ok.Model.OperatingPoints!.Datasets);
        Assert.Equal(5, ok.Model.OperatingPoints.MinScans);
    }

    [Fact]
    public void Load_UnknownEnsembleRule_ConfigExceptionNamingTheKey()
    {
        var dir = RepoPaths.NewTempDir("ich-train-all");
        var e = Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir, TinyConfig(dir, modelExtra: ", \"ensemble\": \"best\""))));
        Assert.Contains("ensemble", e.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Load_HoldoutSeedEqualsTrainingSeed_ConfigException()
    {
        var dir = RepoPaths.NewTempDir("ich-train-all");
        var e = Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir, TinyConfig(dir, holdoutSeed: 31))));
        Assert.Contains("holdout.seed", e.Message);
    }

    [Fact]
    public void Load_UnknownKeyOrCnnDatasets_ConfigException()
    {
        var dir = RepoPaths.NewTempDir("ich-train-all");
        Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir, TinyConfig(dir, cnnExtra: ", \"epochz\": 2"))));
        var e = Assert.Throws<ConfigException>(() => TrainAllConfig.Load(WriteConfig(dir,
            TinyConfig(dir, cnnExtra: ", \"datasets\": [ { \"kind\": \"physionet\", \"path\": \"x\" } ]"))));
        Assert.Contains("cnn.a.datasets must be empty", e.Message);
    }

    /// <summary>Ensemble (mean of the systems' seq2) AUC of "any" by counting pairs: an independent check of the card.</summary>
    private static (int Positives, double Auc) OofAucAny(string seqDir)
    {
        var files = Directory.GetFiles(seqDir, "oof_*.csv").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, files.Count);
        var scores = new Dictionary<string, (double Sum, bool Label)>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            var header = lines[0].Split(',');
            int Col(string n) => Array.IndexOf(header, n);
            var (scan, index, label, score) = (Col("scan_id"), Col("slice_index"), Col("label_any"), Col("seq2_any"));
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var f = line.Split(',');
                var key = f[scan] + "/" + f[index];
                var s = double.Parse(f[score], CultureInfo.InvariantCulture) / files.Count;
                scores[key] = scores.TryGetValue(key, out var prev) ? (prev.Sum + s, prev.Label) : (s, f[label] == "1");
            }
        }
        var pos = scores.Values.Where(v => v.Label).Select(v => v.Sum).ToList();
        var neg = scores.Values.Where(v => !v.Label).Select(v => v.Sum).ToList();
        var wins = pos.Sum(p => neg.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0.0));
        return (pos.Count, wins / (pos.Count * (double)neg.Count));
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != ModelCard.FileName)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
