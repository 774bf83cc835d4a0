using Ich.Core.Errors;
using Ich.TestKit;
using Ich.Model.Sequence;
using Ich.Training.Sequence;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// <c>network.stage2CnnProbabilities</c>: off, SeqModel2 reads Δz and SeqModel1's probability only, so nothing the CNN
/// probabilities do reaches either output; on (the default, the released code), they reach SeqModel2 and only it.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class Stage2InputsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Forward_CnnProbabilitiesReachSeqModel2_OnlyWhenItReadsThem(bool readsThem)
    {
        using var scope = NewDisposeScope();
        var o = TinySequenceBatch.Options(2) with { Stage2CnnProbabilities = readsThem };
        manual_seed(4);
        using var net = new SliceSequenceNet(o);
        net.eval();
        var (input, _) = TinySequenceBatch.Make(o, [6, 4], seed: 5);
        var changed = input with { Probabilities = (1 - input.Probabilities) * input.Mask.view(2, 1, 6, 1) };

        var (a1, a2) = net.Forward(input);
        var (b1, b2) = net.Forward(changed);

        Assert.Equal(0f, (a1 - b1).abs().max().item<float>());
        var stage2Moved = (a2 - b2).abs().max().item<float>();
        if (readsThem) Assert.True(stage2Moved > 1e-4, $"SeqModel2 must follow the CNN probabilities (moved {stage2Moved})");
        else Assert.Equal(0f, stage2Moved);
    }

    [Theory]
    [InlineData(1, true, 5)]     // mean, 1 difference, 1 set, Δz, SeqModel1
    [InlineData(3, true, 9)]     // mean, 3 differences, 3 sets, Δz, SeqModel1
    [InlineData(3, false, 2)]    // Δz, SeqModel1
    public void Stage2Channels_CountsOnlyWhatSeqModel2Reads(int sets, bool readsCnnProbabilities, int expected)
    {
        var o = TinySequenceBatch.Options(sets) with { Stage2CnnProbabilities = readsCnnProbabilities };
        Assert.Equal(expected, o.Stage2Channels);
    }

    [Fact]
    public void Option_IsOnUnlessSet_AndSurvivesTheManifestRoundTrip()
    {
        // A config or a model.json written before the option existed means the released code's inputs.
        foreach (var options in new[] { SeqTrainConfig.JsonOptions, Ich.Model.Folder.ModelManifest.JsonOptions })
            Assert.True(System.Text.Json.JsonSerializer.Deserialize<SequenceNetOptions>("{\"convNarrow\": 4}", options)!.Stage2CnnProbabilities);
        var json = System.Text.Json.JsonSerializer.Serialize(TinySequenceBatch.Options(2) with { Stage2CnnProbabilities = false },
            Ich.Model.Folder.ModelManifest.JsonOptions);
        Assert.Contains("\"stage2CnnProbabilities\": false", json);
        Assert.False(System.Text.Json.JsonSerializer.Deserialize<SequenceNetOptions>(json, Ich.Model.Folder.ModelManifest.JsonOptions)!.Stage2CnnProbabilities);
    }

    [Fact]
    public void Load_JitterWithoutCnnProbabilities_IsAConfigErrorNamingBoth()
    {
        var e = TinySeqRun.LoadError("""{ "oofStores": { "a": "a" }, "probabilityJitter": { "scale": 0.3, "offset": 1 }, "network": { "stage2CnnProbabilities": false } }""");
        Assert.Contains("probabilityJitter", e.Message);
        Assert.Contains("stage2CnnProbabilities", e.Message);
    }

    [Fact]
    public void Run_WithoutCnnProbabilities_TrainsSeededAndItsCheckpointsLoadIntoTheSameNetwork()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            var plain = TinySeqRun.Config(dir, "plain");
            var config = TinySeqRun.Config(dir, "a") with { Network = plain.Network with { Stage2CnnProbabilities = false } };
            SeqRun.Run(config);
            SeqRun.Run(config with { Out = Path.Combine(dir, "b") });
            SeqRun.Run(plain);

            Assert.Equal(TinySeqRun.Oof(dir, "a"), TinySeqRun.Oof(dir, "b"));
            Assert.NotEqual(TinySeqRun.Oof(dir, "plain"), TinySeqRun.Oof(dir, "a"));

            // A checkpoint written by the run has SeqModel2's narrower first layer and loads into a network built from the options.
            using var scope = NewDisposeScope();
            using var net = new SliceSequenceNet(config.Network with { FeatureDim = 8 });
            StateFile.Load(net, Path.Combine(dir, "a", "systems", "alpha", "fold0.state"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
