using Ich.Application.Prediction;
using Ich.Application.TrainAll;
using Ich.Application.Workers;
using Ich.Model.Runtime;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using Ich.TestKit.Serve;
using Ich.Training;
using Ich.Training.Cnn;
using TorchSharp;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// <c>cnnWorkers</c>: every backbone's and every ablation's CNN folds trained by worker processes of the real CLI
/// (<c>ich train cnn --resume RUN --fold K</c>, one libtorch thread each), the runs' stages then writing only their
/// out-of-fold features; the folds are those a one-thread run in this process trains.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class TrainAllCnnWorkersTests
{
    private const string Ablation = "\"ablations\": { \"a-no-mask\": { \"of\": \"a\", \"maskLoss\": 0, \"trainFolds\": 1 } },";

    [Fact]
    public void Run_TwoCnnWorkers_EveryFoldTrainsInAOneThreadWorker_AsAOneThreadRunHereTrainsIt()
    {
        Assert.True(File.Exists(ServeLaunch.CliDll), $"the CLI is not built at {ServeLaunch.CliDll}");
        var dir = RepoPaths.NewTempDir("ich-train-all-cnn-workers");
        try
        {
            var configPath = TrainAllPipelineTests.WriteConfig(dir, TrainAllPipelineTests.TinyConfig(dir, cnnExtra: ", \"maskLoss\": 0.5", topExtra: "\"cnnWorkers\": 2, " + Ablation));
            var log = new List<string>();
            var config = TrainAllConfig.Load(configPath);

            var result = new TrainAllPipeline(config, torch.CPU, new ActionLogger(log.Add), launcher: new IchLauncher("dotnet", [ServeLaunch.CliDll]))
                .Run(CancellationToken.None);

            Assert.True(result.Completed, string.Join("\n", log));
            Assert.Equal(["phantoms", "workers-cnn", "cnn-a", "cnn-b", "seq", "model", "holdout", "style-shift", "locked-test", "workers-ablations", "ablation-a-no-mask", "card"],
                result.Stages.Select(s => s.Name));
            Assert.Contains("workers-cnn", File.ReadAllText(Path.Combine(dir, "run", StageTimings.FileName)), StringComparison.Ordinal);
            // 2 backbones × 2 folds and the ablation's one fold, each in its own worker with its own log.
            string[] jobs = ["ablation-a-no-mask-fold0", "cnn-a-fold0", "cnn-a-fold1", "cnn-b-fold0", "cnn-b-fold1"];
            var workers = Path.Combine(dir, "run", "workers");
            Assert.Equal(jobs, Directory.GetFiles(workers).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
            foreach (var job in jobs)
            {
                Assert.Contains($"worker: {job} done", string.Join("\n", log), StringComparison.Ordinal);
                Assert.Contains("out-of-fold features not written", File.ReadAllText(Path.Combine(workers, job + ".log")), StringComparison.Ordinal);
            }
            foreach (var (run, folds) in new[] { ("cnn-a", 2), ("cnn-b", 2), ("cnn-a-no-mask", 1) })
                for (var f = 0; f < folds; f++)
                    Assert.Equal(1, FoldState.Read(new RunFolder(Path.Combine(dir, "run", run)).StatePath(f))!.Threads);
            Assert.True(CnnOofScores.IsComplete(Path.Combine(dir, "run", "cnn-a-no-mask")));
            var card = File.ReadAllText(Path.Combine(dir, "model", ModelCard.FileName));
            Assert.Contains("| workers-cnn | ", card, StringComparison.Ordinal);
            Assert.Contains("trained by 2 worker processes of one libtorch thread each (`cnnWorkers`)", card, StringComparison.Ordinal);

            // Backbone a trained here with one thread: the same weights, fold by fold.
            var here = Path.Combine(dir, "here");
            using (TorchRuntime.ThreadCount(1))
                Assert.True(new CnnTrainer(config.CnnConfig("a"), TrainingData.Load(config.TrainingDatasets()), here, torch.CPU).Run(resume: false, CancellationToken.None).Completed);
            foreach (var f in new[] { 0, 1 })
                foreach (var file in new[] { "best.model", "best.decoder" })
                    Assert.Equal(File.ReadAllBytes(Path.Combine(here, $"fold{f}", file)), File.ReadAllBytes(Path.Combine(dir, "run", "cnn-a", $"fold{f}", file)));

            // A second invocation finds every fold trained: no worker starts.
            var again = new List<string>();
            var second = new TrainAllPipeline(TrainAllConfig.Load(configPath), torch.CPU, new ActionLogger(again.Add), launcher: new IchLauncher("dotnet", [ServeLaunch.CliDll]))
                .Run(CancellationToken.None);
            Assert.True(second.Completed);
            Assert.Equal(StageStatus.SkippedComplete, second.Stages.Single(s => s.Name == "workers-cnn").Status);
            Assert.DoesNotContain(again, l => l.Contains("worker:", StringComparison.Ordinal));
        }
        finally { Directory.Delete(dir, true); }
    }
}
