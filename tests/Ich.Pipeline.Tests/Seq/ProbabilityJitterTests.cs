using Ich.Core.Errors;
using Ich.TestKit;
using Ich.Training.Features;
using Ich.Training.Sequence;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// <see cref="ProbabilityJitter"/> (<c>seq.probabilityJitter</c>): per scan, set and class a monotone recalibration of the
/// CNN probabilities, zero at padding, off by default, checked when the config loads, and part of a seeded run.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ProbabilityJitterTests
{
    private static readonly ProbabilityJitter Jitter = new() { Scale = 0.3, Offset = 1.0 };

    [Fact]
    public void Apply_KeepsRankingWithinEachScanAndClass_PaddingZero_LevelsMove()
    {
        using var scope = NewDisposeScope();
        var (batch, _) = TinySequenceBatch.Make(TinySequenceBatch.Options(2), [7, 4, 5], seed: 3);

        var jittered = Jitter.Apply(batch, new Random(1));

        var before = batch.Probabilities.data<float>().ToArray();
        var after = jittered.Probabilities.data<float>().ToArray();
        var (b, m, l) = ((int)batch.Probabilities.shape[0], (int)batch.Probabilities.shape[1], (int)batch.Probabilities.shape[2]);
        long[] lengths = [7, 4, 5];
        var moved = 0;
        for (var s = 0; s < b; s++)
            for (var set = 0; set < m; set++)
                for (var c = 0; c < 6; c++)
                {
                    int At(int k) => ((s * m + set) * l + k) * 6 + c;
                    for (var k = 0; k < l; k++)
                    {
                        if (k >= lengths[s]) { Assert.Equal(0f, after[At(k)]); continue; }
                        Assert.InRange(after[At(k)], 0f, 1f);
                        if (Math.Abs(after[At(k)] - before[At(k)]) > 1e-3) moved++;
                        for (var j = 0; j < lengths[s]; j++) // one increasing map per scan, set and class: order kept
                            if (before[At(j)] < before[At(k)] - 1e-6) Assert.True(after[At(j)] <= after[At(k)], $"scan {s} set {set} class {c}: order of slices {j}, {k}");
                    }
                }
        Assert.True(moved > 100, $"only {moved} probabilities moved");
        Assert.Same(batch.Features, jittered.Features);
        Assert.Same(batch.Mask, jittered.Mask);
    }

    [Fact]
    public void Apply_ScansGetDifferentMaps_AndTheSameRngSeedRepeats()
    {
        using var scope = NewDisposeScope();
        var (batch, _) = TinySequenceBatch.Make(TinySequenceBatch.Options(1), [6, 6], seed: 5);
        // Both scans hold the same probabilities, so any difference after the jitter is the maps'.
        var same = cat([batch.Probabilities[0].unsqueeze(0), batch.Probabilities[0].unsqueeze(0)], 0);
        var twin = batch with { Probabilities = same };

        var a = Jitter.Apply(twin, new Random(9)).Probabilities;
        var again = Jitter.Apply(twin, new Random(9)).Probabilities;

        Assert.Equal(a.data<float>().ToArray(), again.data<float>().ToArray());
        Assert.False(a[0].allclose(a[1], rtol: 0, atol: 1e-4), "two scans got the same recalibration");
    }

    [Fact]
    public void Apply_ZeroRanges_IsTheIdentityUpToTheClamp()
    {
        using var scope = NewDisposeScope();
        var (batch, _) = TinySequenceBatch.Make(TinySequenceBatch.Options(2), [5, 3], seed: 2);

        var same = new ProbabilityJitter().Apply(batch, new Random(1));

        Assert.True(same.Probabilities.allclose(batch.Probabilities, rtol: 0, atol: 1e-5));
    }

    [Theory]
    [InlineData("""{ "scale": 1.0, "offset": 0.5 }""", "probabilityJitter.scale must be in [0, 1)")]
    [InlineData("""{ "scale": 0.2, "offset": -1 }""", "probabilityJitter.offset must be in [0, 5]")]
    [InlineData("""{ "scale": 0.2, "ofset": 1 }""", "ofset")]
    public void Load_BadJitter_ConfigErrorNamingIt(string jitter, string fragment) =>
        Assert.Contains(fragment, TinySeqRun.LoadError($$"""{ "oofStores": { "a": "a" }, "probabilityJitter": {{jitter}} }""").Message);

    [Fact]
    public void Run_WithJitter_SeededTwiceIdentical_AndDiffersFromARunWithout()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            var plain = TinySeqRun.Config(dir, "plain");
            var jittered = TinySeqRun.Config(dir, "a") with { ProbabilityJitter = Jitter };
            SeqRun.Run(plain);
            SeqRun.Run(jittered);
            SeqRun.Run(jittered with { Out = Path.Combine(dir, "b") });

            Assert.Equal(TinySeqRun.Oof(dir, "a"), TinySeqRun.Oof(dir, "b"));
            Assert.NotEqual(TinySeqRun.Oof(dir, "plain"), TinySeqRun.Oof(dir, "a"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
