using Ich.Application.Prediction;
using Ich.Application.TrainAll;
using Ich.Application.Workers;
using Ich.Model.Runtime;
using Ich.Pipeline.Tests.Seq;
using Ich.TestKit;
using Ich.TestKit.Serve;
using Ich.Training.Sequence;
using TorchSharp;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// <c>seqWorkers</c>: the sequence stage's folds trained by worker processes of the real CLI (<c>ich train seq --fold</c>,
/// one libtorch thread each), then loaded by the stage, which writes what a sequence run with one thread in this process writes.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class TrainAllSeqWorkersTests
{
    private static readonly string[] SeqFiles = ["oof_a.csv", "oof_b.csv", "training_log.csv", "ablation.json", SeqRun.OperatingPointFile];

    [Fact]
    public void Run_TwoSeqWorkers_EveryFoldTrainsInAOneThreadWorker_AndTheStageEqualsAOneThreadRunHere()
    {
        Assert.True(File.Exists(ServeLaunch.CliDll), $"the CLI is not built at {ServeLaunch.CliDll}");
        var dir = RepoPaths.NewTempDir("ich-train-all-workers");
        try
        {
            var configPath = TrainAllPipelineTests.WriteConfig(dir, TrainAllPipelineTests.TinyConfig(dir, topExtra: "\"seqWorkers\": 2,"));
            var log = new List<string>();
            var config = TrainAllConfig.Load(configPath);

            var result = new TrainAllPipeline(config, torch.CPU, new ActionLogger(log.Add), launcher: new IchLauncher("dotnet", [ServeLaunch.CliDll]))
                .Run(CancellationToken.None);

            Assert.True(result.Completed, string.Join("\n", log));
            var seq = Path.Combine(dir, "run", "seq");
            // 2 systems × 2 folds, each in its own worker with its own log, each fold's record made with one thread.
            string[] jobs = ["seq-a-fold0", "seq-a-fold1", "seq-b-fold0", "seq-b-fold1"];
            Assert.Equal(jobs, Directory.GetFiles(Path.Combine(seq, "workers")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
            foreach (var job in jobs)
            {
                Assert.Contains($"worker: {job} done", string.Join("\n", log));
                Assert.Contains("trained", File.ReadAllText(Path.Combine(seq, "workers", job + ".log")));
            }
            foreach (var record in Directory.GetFiles(Path.Combine(seq, "systems"), "fold*.done.json", SearchOption.AllDirectories))
                Assert.Contains("|threads 1", File.ReadAllText(record));
            Assert.Equal(4, Directory.GetFiles(Path.Combine(seq, "systems"), "fold*.done.json", SearchOption.AllDirectories).Length);

            // The same sequence config trained in this process with one thread writes the same files.
            var here = config.SeqConfig() with { Out = Path.Combine(dir, "here") };
            using (TorchRuntime.ThreadCount(1)) SeqRun.Run(here);
            foreach (var file in SeqFiles)
                Assert.Equal(File.ReadAllText(Path.Combine(dir, "here", file)), File.ReadAllText(Path.Combine(seq, file)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
