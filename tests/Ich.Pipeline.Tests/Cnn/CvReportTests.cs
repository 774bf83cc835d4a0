using System.Globalization;
using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using Ich.Training.Cnn;
using Ich.Training.Features;

namespace Ich.Pipeline.Tests.Cnn;

[Collection(TorchSerialCollection.Name)]
public class CvReportTests
{
    [Fact]
    public void Summarize_TinyRun_PooledScoresEqualHandComputationFromTheOofStore()
    {
        var dir = RepoPaths.NewTempDir();
        var config = new CnnTrainConfig { Backbone = "small", ImageSize = 64, BatchSize = 8, Epochs = 2, Folds = 2, Seed = 5, Tta = 1 };
        new CnnTrainer(config, TinyScans.Make(6, 6), dir, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default);

        var summary = CvReport.Summarize(dir);

        // Independent: AUC as the fraction of (positive, negative) pairs ranked right (ties ½), log-loss by its formula.
        var store = FeatureStore.Open(Path.Combine(dir, "features", "oof"));
        var probs = store.ReadProbs(0, store.Rows.Count);
        var any = store.Rows.Select(r => (P: (double)probs[r.Row * 6], Y: r.Labels![0] > 0.5f)).ToList();
        var pairs = any.Where(a => a.Y).SelectMany(pos => any.Where(a => !a.Y).Select(neg => pos.P > neg.P ? 1.0 : pos.P == neg.P ? 0.5 : 0.0)).ToList();
        Assert.Equal(pairs.Average(), summary.OofAuc[0].Auc, 12);
        Assert.Equal(any.Count(a => a.Y), summary.OofAuc[0].Positives);
        Assert.True(double.IsNaN(summary.OofAuc[1].Auc)); // no epidural slice in the tiny data
        double Bce(double p, bool y) { p = Math.Clamp(p, 1e-15, 1 - 1e-15); return -(y ? Math.Log(p) : Math.Log(1 - p)); }
        var perClass = Enumerable.Range(0, 6).Select(c => store.Rows.Average(r => Bce(probs[r.Row * 6 + c], r.Labels![c] > 0.5f))).ToArray();
        Assert.Equal((2 * perClass[0] + perClass.Skip(1).Sum()) / 7, summary.OofWeightedLogLoss, 5);
        Assert.Equal(36, summary.Slices);
        Assert.Equal(6, summary.Scans);

        // Best epoch per fold = the metrics.csv row with the lowest validation loss.
        var rows = File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var best in summary.BestPerFold)
        {
            var expected = rows.Where(r => r[0] == best.Fold.ToString(CultureInfo.InvariantCulture))
                .MinBy(r => double.Parse(r[4], CultureInfo.InvariantCulture))!;
            Assert.Equal(int.Parse(expected[1], CultureInfo.InvariantCulture), best.Epoch);
        }
        var markdown = CvReport.Markdown([summary]);
        Assert.Contains("| small | scratch | 64 | 36 / 6 |", markdown);

        // --json: one object per run (JSON Lines) with the same numbers, snake_case names, NaN spelled out.
        var run = Cli.CliRun.Ich("cv-report", dir, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = Assert.Single(run.JsonLines());
        Assert.Equal("small", json.GetProperty("backbone").GetString());
        Assert.Equal(summary.OofWeightedLogLoss, json.GetProperty("oof_weighted_log_loss").GetDouble(), 12);
        Assert.Equal(summary.OofAuc[0].Auc, json.GetProperty("oof_auc")[0].GetProperty("auc").GetDouble(), 12);
        Assert.Equal("NaN", json.GetProperty("oof_auc")[1].GetProperty("auc").GetString());
        Assert.Equal(summary.BestPerFold.Count, json.GetProperty("best_per_fold").GetArrayLength());

        // The subtypes' split partitions each subtype's negatives into clean slices and slices that bleed otherwise.
        Assert.Equal(["epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural"], summary.SubtypeSplit.Select(r => r.Class));
        foreach (var (row, c) in summary.SubtypeSplit.Select((r, i) => (r, i + 1)))
        {
            Assert.Equal(store.Rows.Count(r => r.Labels![c] > 0.5f), row.NPositive);
            Assert.Equal(store.Rows.Count(r => r.Labels![c] <= 0.5f && r.Labels![0] <= 0.5f), row.Clean.NNegative);
            Assert.Equal(store.Rows.Count(r => r.Labels![c] <= 0.5f && r.Labels![0] > 0.5f), row.OtherBleed.NNegative);
        }
        Assert.Contains("| run | class | positives | against clean slices | against other bleeds |", markdown);

        // --fold: only that fold's validation patients, scored the same way.
        var fold0 = CvReport.Summarize(dir, fold: 0);
        var rows0 = any.Where((_, i) => store.Rows[i].Fold == 0).ToList();
        Assert.Equal(rows0.Count, fold0.Slices);
        Assert.True(fold0.Slices is > 0 and < 36);
        var pairs0 = rows0.Where(a => a.Y).SelectMany(pos => rows0.Where(a => !a.Y).Select(neg => pos.P > neg.P ? 1.0 : pos.P == neg.P ? 0.5 : 0.0)).ToList();
        Assert.Equal(pairs0.Average(), fold0.OofAuc[0].Auc, 12);
        Assert.Contains("of fold 0's validation patients only", CvReport.Markdown([fold0]));
        var missing = Cli.CliRun.Ich("cv-report", dir, "--fold", "7");
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("no labelled slice of fold 7", missing.Stderr);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Summarize_Dataset_ScoresOnlyThatDatasetsSlicesAndRefusesOneTheStoreDoesNotHold()
    {
        var dir = RepoPaths.NewTempDir();
        // Two datasets of three scans each, both with positive and negative scans (scans 0, 2, 4 bleed).
        var scans = TinyScans.Make(6, 6).Select((s, i) => i < 3 ? s : s with { Dataset = "other" }).ToList();
        var config = new CnnTrainConfig { Backbone = "small", ImageSize = 64, BatchSize = 8, Epochs = 1, Folds = 2, Seed = 5, Tta = 1 };
        new CnnTrainer(config, scans, dir, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default);

        var store = FeatureStore.Open(Path.Combine(dir, "features", "oof"));
        var probs = store.ReadProbs(0, store.Rows.Count);
        foreach (var name in new[] { "tiny", "other" })
        {
            var summary = CvReport.Summarize(dir, dataset: name);
            // Independent: the any AUC over this dataset's slices alone, as the fraction of pairs ranked right.
            var any = store.Rows.Where(r => r.Dataset == name).Select(r => (P: (double)probs[r.Row * 6], Y: r.Labels![0] > 0.5f)).ToList();
            var pairs = any.Where(a => a.Y).SelectMany(pos => any.Where(a => !a.Y).Select(neg => pos.P > neg.P ? 1.0 : pos.P == neg.P ? 0.5 : 0.0)).ToList();
            Assert.Equal(18, summary.Slices);
            Assert.Equal(3, summary.Scans);
            Assert.Equal(name, summary.Dataset);
            Assert.Equal(pairs.Average(), summary.OofAuc[0].Auc, 12);
            Assert.Contains($", {name} slices only", CvReport.Markdown([summary]));
        }
        // Fold and dataset together: the slices of both.
        var both = CvReport.Summarize(dir, fold: 0, dataset: "other");
        Assert.Equal(store.Rows.Count(r => r.Fold == 0 && r.Dataset == "other"), both.Slices);
        Assert.Contains("not comparable", CvReport.Markdown([CvReport.Summarize(dir, dataset: "tiny"), CvReport.Summarize(dir)]));

        var json = Cli.CliRun.Ich("cv-report", dir, "--dataset", "other", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("other", Assert.Single(json.JsonLines()).GetProperty("dataset").GetString());
        var unknown = Cli.CliRun.Ich("cv-report", dir, "--dataset", "physionet");
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("no slice of dataset 'physionet' (it holds: other, tiny)", unknown.Stderr);
        var blank = Cli.CliRun.Ich("cv-report", dir, "--dataset", " ");
        Assert.True(blank.ExitCode == 2, blank.ToString());
        Assert.Contains("--dataset: give a dataset name", blank.Stderr);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Summarize_FolderWithoutRun_IsAConfigErrorNamingIt()
    {
        var dir = RepoPaths.NewTempDir();
        var ex = Assert.Throws<ConfigException>(() => CvReport.Summarize(dir));
        Assert.Contains(dir, ex.Message);
        Assert.Equal(2, Ich.Cli.Program.Main(["cv-report", dir]));
        Assert.Equal(2, Ich.Cli.Program.Main(["cv-report", ""])); // an empty path is refused like any other non-run
        Directory.Delete(dir, true);
    }

    [Fact]
    public void DistinctNames_RunsSharingTheirLeafName_GetAsManyParentFoldersAsTellThemApart()
    {
        Assert.Equal(["a", "b"], CvReport.DistinctNames(["/runs/x/a", "/runs/y/b/"]));
        Assert.Equal(["x/cnn-r18in160", "y/cnn-r18in160"], CvReport.DistinctNames(["/runs/x/cnn-r18in160", "/runs/y/cnn-r18in160"]));
        Assert.Equal(["p/x/cnn", "q/x/cnn", "r/y/cnn"], CvReport.DistinctNames(["/p/x/cnn", "/q/x/cnn", "/r/y/cnn"]));
        // the same folder twice cannot be told apart: both keep the full path
        Assert.Equal(["r/a", "r/a"], CvReport.DistinctNames(["/r/a", "/r/a/"]));
    }
}
