using System.Text.Json;
using Ich.Application.TrainAll;
using Ich.Core.Errors;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>
/// <c>timings.json</c> is read by people and by resumed runs: one JSON object, the stage names as keys (as the run logs
/// them), seconds as numbers, in the order the stages first ran. The in-memory type is typed; the file is pinned here.
/// </summary>
public sealed class StageTimingsTests : IDisposable
{
    private readonly string _run = RepoPaths.NewTempDir("ich-timings");

    public void Dispose() => Directory.Delete(_run, true);

    [Fact]
    public void Save_EveryStageKind_WritesTheFixedKeysInRunOrderWithSummedSeconds()
    {
        var timings = new StageTimings();
        timings.Add(TrainAllStage.Phantoms, 1.5);
        timings.Add(TrainAllStage.Cnn("resnet18"), 10);
        timings.Add(TrainAllStage.Seq, 2);
        timings.Add(TrainAllStage.Model, 0.25);
        timings.Add(TrainAllStage.Holdout, 3);
        timings.Add(TrainAllStage.StyleShift, 4);
        timings.Add(TrainAllStage.LockedTest, 5);
        timings.Add(TrainAllStage.Ablation("no-mask"), 6);
        timings.Add(TrainAllStage.Cnn("resnet18"), 0.5); // a resumed invocation adds to the stage

        timings.Save(_run);

        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run, "timings.json")));
        Assert.Equal(JsonValueKind.Object, file.RootElement.ValueKind);
        var entries = file.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())).ToList();
        Assert.Equal(
        [
            ("phantoms", 1.5), ("cnn-resnet18", 10.5), ("seq", 2), ("model", 0.25), ("holdout", 3), ("style-shift", 4),
            ("locked-test", 5), ("ablation-no-mask", 6),
        ], entries);
        Assert.Equal(32.25, timings.TotalSeconds);
    }

    [Fact]
    public void Read_FileOfAnEarlierInvocation_SameStagesAndSecondsInFileOrder()
    {
        File.WriteAllText(Path.Combine(_run, "timings.json"), """{ "phantoms": 7, "cnn-a-b": 8.5, "ablation-no-paste": 1 }""");

        var timings = StageTimings.Read(_run);

        Assert.Equal([(TrainAllStage.Phantoms, 7.0), (TrainAllStage.Cnn("a-b"), 8.5), (TrainAllStage.Ablation("no-paste"), 1.0)], timings.Entries);
    }

    [Fact]
    public void Read_NoFile_Empty()
    {
        Assert.Empty(StageTimings.Read(_run).Entries);
    }

    [Fact]
    public void Read_UnknownStage_ConfigExceptionNamingTheStageAndFile()
    {
        var path = Path.Combine(_run, "timings.json");
        File.WriteAllText(path, """{ "cnn-a": 1, "warmup": 2 }""");

        var e = Assert.Throws<ConfigException>(() => StageTimings.Read(_run));

        Assert.Contains("unknown stage 'warmup'", e.Message, StringComparison.Ordinal);
        Assert.Equal(path, e.Path);
    }
}
