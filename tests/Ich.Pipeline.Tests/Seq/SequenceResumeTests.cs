using System.Text.Json;
using Ich.TestKit;
using Ich.Training.Sequence;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// An interrupted sequence stage resumes at its first unfinished fold (<see cref="FoldRecord"/>): finished folds are
/// loaded, not trained, and the run's files are those of an uninterrupted run; any change of settings trains again.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class SequenceResumeTests
{
    private static SeqTrainConfig Config(string dir, string run) => TinySeqRun.Config(dir, run, halfPrecision: true);

    private static string Read(string dir, string run, string file) => File.ReadAllText(Path.Combine(dir, run, file));

    private static string Fold(string dir, string run, string file) => Path.Combine(dir, run, "systems", "alpha", file);

    private static readonly DateTime LongAgo = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] RunFiles = ["oof_alpha.csv", "training_log.csv", "ablation.json", SeqRun.OperatingPointFile];

    /// <summary>
    /// Keeps a finished run's files, then removes what folds 1 and 2 left except fold 1's checkpoint, as a stop while fold
    /// 1's checkpoint was written would; fold 0's checkpoint is dated long ago so that a retraining would show.
    /// </summary>
    private static Dictionary<string, string> StopAfterFoldZero(string dir, string run)
    {
        var kept = RunFiles.ToDictionary(f => f, f => Read(dir, run, f));
        foreach (var f in new[] { "fold1.done.json", "fold2.state", "fold2.done.json" }) File.Delete(Fold(dir, run, f));
        foreach (var f in RunFiles) File.Delete(Path.Combine(dir, run, f));
        File.SetLastWriteTimeUtc(Fold(dir, run, "fold0.state"), LongAgo);
        return kept;
    }

    [Fact]
    public void Rerun_AfterAStop_LoadsFinishedFolds_AndWritesWhatAnUninterruptedRunWrites()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            SeqRun.Run(Config(dir, "run"));
            Assert.True(File.Exists(Fold(dir, "run", "fold2.done.json")));
            var fold1 = File.ReadAllBytes(Fold(dir, "run", "fold1.state"));
            var whole = StopAfterFoldZero(dir, "run");

            SeqRun.Run(Config(dir, "run"));

            Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(Fold(dir, "run", "fold0.state")));
            foreach (var file in RunFiles) Assert.Equal(whole[file], Read(dir, "run", file));
            // fold 1 had a checkpoint but no record (a stop while it was written): trained again, to the same bytes.
            Assert.Equal(fold1, File.ReadAllBytes(Fold(dir, "run", "fold1.state")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Rerun_WithOtherSettings_TrainsEveryFoldAgain()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            SeqRun.Run(Config(dir, "a"));
            var before = TinySeqRun.Oof(dir, "a");
            File.SetLastWriteTimeUtc(Fold(dir, "a", "fold0.state"), LongAgo);

            SeqRun.Run(Config(dir, "a") with { Epochs = 3, Milestones = [3] });

            Assert.NotEqual(LongAgo, File.GetLastWriteTimeUtc(Fold(dir, "a", "fold0.state")));
            Assert.NotEqual(before, TinySeqRun.Oof(dir, "a"));
            Assert.Equal(3 * 3 + 1, File.ReadAllLines(Path.Combine(dir, "a", "training_log.csv")).Length);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void RecordFromBeforeAnOptionExisted_TheFoldIsLoaded_UnlessTheOptionIsSetAway()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            SeqRun.Run(Config(dir, "run"));
            var whole = StopAfterFoldZero(dir, "run");
            var recordPath = Fold(dir, "run", "fold0.done.json");
            var record = JsonSerializer.Deserialize<FoldRecord>(File.ReadAllText(recordPath), SeqTrainConfig.JsonOptions)!;
            // As the code before `stage2CnnProbabilities` wrote it: the option at its default is the same training.
            File.WriteAllText(recordPath, JsonSerializer.Serialize(
                record with { Key = OlderFingerprint.WithoutNetworkOption(record.Key, "stage2CnnProbabilities") }, SeqTrainConfig.JsonOptions));

            SeqRun.Run(Config(dir, "run"));

            Assert.Equal(LongAgo, File.GetLastWriteTimeUtc(Fold(dir, "run", "fold0.state")));
            foreach (var file in RunFiles) Assert.Equal(whole[file], Read(dir, "run", file));

            var away = Config(dir, "run");
            SeqRun.Run(away with { Network = away.Network with { Stage2CnnProbabilities = false } });
            Assert.NotEqual(LongAgo, File.GetLastWriteTimeUtc(Fold(dir, "run", "fold0.state")));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "key": "another run", "epochs": [] }""")]
    public void DamagedOrForeignRecord_TheFoldIsTrainedAgain(string record)
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            SeqRun.Run(Config(dir, "run"));
            var whole = StopAfterFoldZero(dir, "run");
            File.WriteAllText(Fold(dir, "run", "fold0.done.json"), record);

            SeqRun.Run(Config(dir, "run"));

            Assert.NotEqual(LongAgo, File.GetLastWriteTimeUtc(Fold(dir, "run", "fold0.state")));
            foreach (var file in RunFiles) Assert.Equal(whole[file], Read(dir, "run", file));
        }
        finally { Directory.Delete(dir, true); }
    }
}
