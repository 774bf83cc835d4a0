using Ich.Application.Prediction;
using Ich.Application.TrainAll;
using Ich.Core.Errors;
using Ich.TestKit;
using TorchSharp;

namespace Ich.Pipeline.Tests.TrainAll;

/// <summary>The worker counts of <c>ich train all</c> (<c>seqWorkers</c>, <c>cnnWorkers</c>): bounded, and refused before any work by a caller that cannot start processes.</summary>
public sealed class TrainAllWorkersConfigTests
{
    [Theory]
    [InlineData("seqWorkers")]
    [InlineData("cnnWorkers")]
    public void Load_WorkersOutOfRange_OrNoLauncher_ConfigExceptionBeforeAnyWork(string key)
    {
        var dir = RepoPaths.NewTempDir("ich-train-all-workers");
        try
        {
            var zero = TrainAllPipelineTests.WriteConfig(dir, TrainAllPipelineTests.TinyConfig(dir, topExtra: $"\"{key}\": 0,"));
            Assert.Contains($"{key} 0: give 1", Assert.Throws<ConfigException>(() => TrainAllConfig.Load(zero)).Message, StringComparison.Ordinal);

            var two = TrainAllPipelineTests.WriteConfig(dir, TrainAllPipelineTests.TinyConfig(dir, topExtra: $"\"{key}\": 2,"));
            var e = Assert.Throws<ConfigException>(() => new TrainAllPipeline(TrainAllConfig.Load(two), torch.CPU, new ActionLogger(_ => { })).Run(CancellationToken.None));
            Assert.Contains($"{key} 2: this caller cannot start worker processes", e.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(dir, "run"))); // refused before the run folder was made
        }
        finally { Directory.Delete(dir, true); }
    }
}
