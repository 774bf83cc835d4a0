using Ich.Core.Errors;
using Ich.Model.Runtime;
using Ich.Pipeline.Tests.Cli;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// One fold at a time (<see cref="SeqRun.TrainFold"/>, <c>ich train seq --fold</c>: what the worker processes of
/// <c>ich train all</c> run): folds trained apart are loaded by the run afterwards, which then writes exactly what a run
/// that trained every fold itself writes at the same thread count.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class SequenceFoldWorkerTests
{
    private static readonly string[] RunFiles = ["oof_alpha.csv", "training_log.csv", "ablation.json", SeqRun.OperatingPointFile];

    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static string Checkpoint(string dir, string run, int fold) => Path.Combine(dir, run, "systems", "alpha", $"fold{fold}.state");

    [Fact]
    public void FoldsTrainedApart_AreLoadedByTheRun_WhichWritesWhatAWholeRunWrites()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            using var oneThread = TorchRuntime.ThreadCount(1);
            SeqRun.Run(TinySeqRun.Config(dir, "whole", halfPrecision: true));

            var apart = TinySeqRun.Config(dir, "apart", halfPrecision: true);
            Assert.Equal([("alpha", 0), ("alpha", 1), ("alpha", 2)], SeqRun.PendingFolds(apart));
            foreach (var k in new[] { 2, 0, 1 }) Assert.True(SeqRun.TrainFold(apart, "alpha", k));
            Assert.Empty(SeqRun.PendingFolds(apart));
            Assert.False(SeqRun.TrainFold(apart, "alpha", 1)); // finished: not trained again
            for (var k = 0; k < 3; k++) File.SetLastWriteTimeUtc(Checkpoint(dir, "apart", k), LongAgo);

            SeqRun.Run(apart);

            for (var k = 0; k < 3; k++)
            {
                Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(Checkpoint(dir, "apart", k))); // loaded, not retrained
                Assert.Equal(File.ReadAllBytes(Checkpoint(dir, "whole", k)), File.ReadAllBytes(Checkpoint(dir, "apart", k)));
            }
            foreach (var file in RunFiles)
                Assert.Equal(File.ReadAllText(Path.Combine(dir, "whole", file)), File.ReadAllText(Path.Combine(dir, "apart", file)));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void PendingFolds_AFoldTrainedWithAnotherThreadCount_IsStillPending()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            var config = TinySeqRun.Config(dir, "run");
            using (TorchRuntime.ThreadCount(1)) Assert.True(SeqRun.TrainFold(config, "alpha", 1));
            using (TorchRuntime.ThreadCount(1)) Assert.Equal([("alpha", 0), ("alpha", 2)], SeqRun.PendingFolds(config));
            // Bit-identical weights need the same thread count, so a run with two threads would train fold 1 again.
            using (TorchRuntime.ThreadCount(2)) Assert.Equal([("alpha", 0), ("alpha", 1), ("alpha", 2)], SeqRun.PendingFolds(config));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void TrainFold_UnknownSystemOrFoldOutOfRange_ConfigExceptionNamingIt()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            var config = TinySeqRun.Config(dir, "run");
            Assert.Contains("no system 'beta' in the config (systems: alpha)", Assert.Throws<ConfigException>(() => SeqRun.TrainFold(config, "beta", 0)).Message);
            Assert.Contains("fold 3 is not one of the config's folds (0..2)", Assert.Throws<ConfigException>(() => SeqRun.TrainFold(config, "alpha", 3)).Message);
            Assert.False(Directory.Exists(Path.Combine(dir, "run", "systems")));
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary><c>ich train seq --fold SYSTEM:K</c> through the real entry point.</summary>
[Collection(CliCollection.Name)]
public sealed class TrainSeqFoldCliTests
{
    [Fact]
    public void TrainSeq_Fold_TrainsThatFoldOnce_AndAMalformedFoldIsAClearError()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            var configPath = Path.Combine(dir, "seq.json");
            File.WriteAllText(configPath, System.Text.Json.JsonSerializer.Serialize(TinySeqRun.Config(dir, "run"), SeqTrainConfig.JsonOptions));
            using var restore = TorchRuntime.ThreadCount(1); // the CLI sets this thread's count; the scope gives it back

            var first = CliRun.Ich("train", "seq", "--config", configPath, "--fold", "alpha:2", "--threads", "1");
            var again = CliRun.Ich("train", "seq", "--config", configPath, "--fold", "alpha:2", "--threads", "1");
            var malformed = CliRun.Ich("train", "seq", "--config", configPath, "--fold", "alpha", "--threads", "1");
            var unknown = CliRun.Ich("train", "seq", "--config", configPath, "--fold", "beta:0", "--threads", "1");

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("system alpha fold 2: trained", first.Stdout);
            Assert.True(File.Exists(Path.Combine(dir, "run", "systems", "alpha", "fold2.done.json")));
            Assert.False(File.Exists(Path.Combine(dir, "run", "systems", "alpha", "fold0.state")));
            Assert.Contains("system alpha fold 2: already finished with these settings", again.Stdout);
            Assert.Equal(2, malformed.ExitCode);
            Assert.Contains("--fold 'alpha': expected SYSTEM:K", malformed.Stdout + malformed.Stderr);
            Assert.Equal(2, unknown.ExitCode);
            Assert.Contains("no system 'beta'", unknown.Stdout + unknown.Stderr);
        }
        finally { Directory.Delete(dir, true); }
    }
}
