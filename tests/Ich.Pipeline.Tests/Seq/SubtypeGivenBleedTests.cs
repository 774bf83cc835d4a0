using System.Globalization;
using System.Text.Json;
using Ich.Model.Folder;
using Ich.Model.Sequence;
using Ich.TestKit;
using Ich.Training.Sequence;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// <c>network.subtypeGivenBleed</c>: P(subtype) = P(any) · P(subtype | bleed), the second factor trained on bleeding
/// slices only; off (the default, the released code) every class is its own sigmoid.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class SubtypeGivenBleedTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Probabilities_FactorisedOrOneSigmoidPerClass(bool factorised)
    {
        using var scope = NewDisposeScope();
        using var net = new SliceSequenceNet(TinySequenceBatch.Options(1) with { SubtypeGivenBleed = factorised });
        var logits = tensor(new[] { 0.5f, -1f, 2f, 0f, -3f, 1f }).view(1, 1, 6);

        var p = net.Probabilities(logits).view(6).data<float>().ToArray();

        var sigmoid = logits.sigmoid().view(6).data<float>().ToArray();
        Assert.Equal(sigmoid[0], p[0]);
        for (var c = 1; c < 6; c++)
            Assert.Equal(factorised ? sigmoid[0] * sigmoid[c] : sigmoid[c], p[c], 6);
    }

    [Fact]
    public void Forward_SeqModel2ReadsSeqModel1sFactorisedProbabilities()
    {
        using var scope = NewDisposeScope();
        var o = TinySequenceBatch.Options(1);
        manual_seed(4);
        using var plain = new SliceSequenceNet(o);
        manual_seed(4);
        using var factorised = new SliceSequenceNet(o with { SubtypeGivenBleed = true });
        plain.eval();
        factorised.eval();
        var (input, _) = TinySequenceBatch.Make(o, [5, 3], seed: 2);

        var (p1, p2) = plain.Forward(input);
        var (f1, f2) = factorised.Forward(input);

        Assert.Equal(0f, (p1 - f1).abs().max().item<float>());          // the same weights: the same stage-1 logits
        Assert.True((p2 - f2).abs().max().item<float>() > 1e-5);        // SeqModel2 reads stage-1 probabilities, which differ
    }

    /// <summary>
    /// One scan of three slices, the last padding. Slice 0 is clean, slice 1 bleeds with an epidural: the any column is the
    /// mean over both real slices, each subtype column slice 1's alone; weights 2 and 1, over 7.
    /// </summary>
    [Fact]
    public void GivenBleed_EqualsTheHandComputedLoss_AndIgnoresCleanAndPaddedSubtypeLogits()
    {
        using var scope = NewDisposeScope();
        var z = new float[] { 0.3f, 1f, -2f, 0.5f, 0f, 2f, /* slice 1 */ 1.5f, 0.7f, -0.4f, 0.2f, -1f, 0.1f, /* pad */ 9, 9, 9, 9, 9, 9 };
        var y = new float[] { 0, 0, 0, 0, 0, 0, /* slice 1 */ 1, 1, 0, 0, 0, 0, /* pad */ 1, 1, 1, 1, 1, 1 };
        var logits = tensor(z).view(1, 3, 6).requires_grad_(true);
        var targets = tensor(y).view(1, 3, 6);
        var mask = tensor(new float[] { 1, 1, 0 }).view(1, 3);

        var loss = SequenceLoss.GivenBleed(logits, targets, mask);

        static double Bce(double logit, double target) => Math.Log(1 + Math.Exp(-logit)) + (1 - target) * logit;
        var expected = 2 * (Bce(z[0], 0) + Bce(z[6], 1)) / 2;
        for (var c = 1; c < 6; c++) expected += Bce(z[6 + c], y[6 + c]);
        Assert.Equal(expected / 7, loss.item<float>(), 5);
        loss.backward();
        var grad = logits.grad!.view(18).data<float>().ToArray();
        for (var c = 1; c < 6; c++) Assert.Equal(0f, grad[c]);          // the clean slice's subtype logits
        for (var c = 0; c < 6; c++) Assert.Equal(0f, grad[12 + c]);     // padding
        Assert.NotEqual(0f, grad[0]);
    }

    [Fact]
    public void Option_IsOffUnlessSet_AndSurvivesTheManifestRoundTrip()
    {
        foreach (var options in new[] { SeqTrainConfig.JsonOptions, ModelManifest.JsonOptions })
            Assert.False(JsonSerializer.Deserialize<SequenceNetOptions>("{\"convNarrow\": 4}", options)!.SubtypeGivenBleed);
        var json = JsonSerializer.Serialize(TinySequenceBatch.Options(2) with { SubtypeGivenBleed = true }, ModelManifest.JsonOptions);
        Assert.Contains("\"subtypeGivenBleed\": true", json);
        Assert.True(JsonSerializer.Deserialize<SequenceNetOptions>(json, ModelManifest.JsonOptions)!.SubtypeGivenBleed);
    }

    [Fact]
    public void Run_Factorised_TrainsSeeded_NoSubtypeAboveAny_AndDiffersFromThePlainRun()
    {
        var dir = TinySeqRun.NewFolderWithStore();
        try
        {
            var plain = TinySeqRun.Config(dir, "plain");
            var config = TinySeqRun.Config(dir, "a") with { Network = plain.Network with { SubtypeGivenBleed = true } };
            SeqRun.Run(config);
            SeqRun.Run(config with { Out = Path.Combine(dir, "b") });
            SeqRun.Run(plain);

            Assert.Equal(TinySeqRun.Oof(dir, "a"), TinySeqRun.Oof(dir, "b"));
            Assert.NotEqual(TinySeqRun.Oof(dir, "plain"), TinySeqRun.Oof(dir, "a"));
            var lines = File.ReadAllLines(Path.Combine(dir, "a", "oof_alpha.csv"));
            var header = lines[0].Split(',').ToList();
            foreach (var stage in new[] { "seq1", "seq2" })
            {
                var any = header.IndexOf($"{stage}_any");
                var subtypes = new[] { "epidural", "intraparenchymal", "intraventricular", "subarachnoid", "subdural" }.Select(c => header.IndexOf($"{stage}_{c}")).ToList();
                Assert.True(any >= 0 && subtypes.All(i => i >= 0), string.Join(',', header));
                foreach (var row in lines.Skip(1).Select(l => l.Split(',')))
                    Assert.All(subtypes, i => Assert.True(Value(row[i]) <= Value(row[any]) + 1e-6, $"{stage}: a subtype above any in {string.Join(',', row)}"));
            }
        }
        finally { Directory.Delete(dir, true); }
    }

    private static double Value(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
