using Ich.Model.Sequence;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Seq;

[Collection(TorchSerialCollection.Name)]
public class SliceSequenceNetTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(3, true)]
    public void Forward_AnyBackboneCount_GivesBothStagesAsBatchBySliceBySix(int backbones, bool thickness)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var o = TinySequenceBatch.Options(backbones, thickness);
        using var net = new SliceSequenceNet(o);
        var (input, _) = TinySequenceBatch.Make(o, [7, 3, 5], seed: 2);
        var (s1, s2) = net.Forward(input);
        Assert.Equal(new long[] { 3, 7, 6 }, s1.shape);
        Assert.Equal(new long[] { 3, 7, 6 }, s2.shape);
        Assert.Equal(1 + 2 * backbones + 1 + (thickness ? 1 : 0) + 1, o.Stage2Channels);
    }

    [Fact]
    public void Forward_WrongFeatureShape_ThrowsNamingTheExpectedShape()
    {
        using var scope = NewDisposeScope();
        var o = TinySequenceBatch.Options(2);
        using var net = new SliceSequenceNet(o);
        var (input, _) = TinySequenceBatch.Make(o, [4], seed: 3);
        var bad = input with { Features = zeros(1, 3, 4, 12) };
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(bad));
        Assert.Contains("[B, 2, L, 12]", ex.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_PaddedScanInBatch_EqualsSameScanAlone(bool residual)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var o = TinySequenceBatch.Options(2, residual: residual);
        using var net = new SliceSequenceNet(o);
        // Give the BN running statistics non-trivial values first (train-mode passes), then evaluate.
        for (var i = 0; i < 3; i++) net.Forward(TinySequenceBatch.Make(o, [9, 6], seed: 10 + i).Input);
        net.eval();
        var (alone, _) = TinySequenceBatch.Make(o, [5], seed: 20);
        var (a1, a2) = net.Forward(alone);

        // The same scan padded to 9 next to a full-length scan of garbage-free random data.
        var (other, _) = TinySequenceBatch.Make(o, [9], seed: 21);
        var padded = Pad(alone, 9);
        var batch = new SequenceTensors(
            cat([padded.Features, other.Features], 0), cat([padded.Probabilities, other.Probabilities], 0),
            cat([padded.DeltaZ, other.DeltaZ], 0), null, cat([padded.Mask, other.Mask], 0), [5, 9]);
        var (b1, b2) = net.Forward(batch);

        var valid = TensorIndex.Slice(0, 5);
        Assert.True(b1[0, valid].allclose(a1[0], rtol: 1e-5, atol: 1e-6), "stage 1 differs with padding");
        Assert.True(b2[0, valid].allclose(a2[0], rtol: 1e-5, atol: 1e-6), "stage 2 differs with padding");
        Assert.Equal(0f, b2[0, TensorIndex.Slice(5, 9)].abs().sum().item<float>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void JointLoss_PaddedPositions_ContributeZeroLossAndZeroGradient(bool residual)
    {
        using var scope = NewDisposeScope();
        var o = TinySequenceBatch.Options(2, residual: residual);
        manual_seed(5);
        using var net = new SliceSequenceNet(o);
        net.train();
        var (input, targets) = TinySequenceBatch.Make(o, [8, 4, 6], seed: 6);

        var (lossClean, gradsClean, inputGrad) = LossAndGrads(net, input, targets);

        // Same batch with garbage at every padded position: inputs, Δz and labels.
        var pad = (1 - input.Mask);
        var pad4 = pad.view(3, 1, 8, 1);
        var garbage = input with
        {
            Features = input.Features + 1000 * pad4,
            Probabilities = input.Probabilities + 0.9 * pad4,
            DeltaZ = input.DeltaZ + 77 * pad,
        };
        var garbageTargets = targets + pad.unsqueeze(-1); // labels 1 at padding
        var (lossGarbage, gradsGarbage, _) = LossAndGrads(net, garbage, garbageTargets);

        Assert.Equal(lossClean, lossGarbage);
        Assert.Equal(gradsClean.Count, gradsGarbage.Count);
        for (var i = 0; i < gradsClean.Count; i++)
            Assert.True(gradsClean[i].equal(gradsGarbage[i]).all().item<bool>(), $"parameter gradient {i} changed with padding content");
        // And the gradient reaching the padded input positions is exactly zero.
        var padGrad = (inputGrad * pad.view(3, 1, 8, 1)).abs().sum().item<float>();
        Assert.Equal(0f, padGrad);
        Assert.True((inputGrad * input.Mask.view(3, 1, 8, 1)).abs().sum().item<float>() > 0, "real positions must get gradient");
    }

    [Fact]
    public void Residual_Untrained_SeqModel2EqualsSeqModel1_ThenLearnsACorrection()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var o = TinySequenceBatch.Options(2, residual: true);
        using var net = new SliceSequenceNet(o);
        net.eval();
        var (input, targets) = TinySequenceBatch.Make(o, [6, 4], seed: 8);
        var (s1, s2) = net.Forward(input);
        Assert.True(s2.equal(s1).all().item<bool>(), "an untrained residual SeqModel2 must add exactly nothing");

        // One optimiser step on SeqModel2's loss alone moves its output away from SeqModel1's.
        net.train();
        using var optimizer = optim.Adam(net.parameters(), lr: 1e-2);
        for (var step = 0; step < 2; step++)
        {
            optimizer.zero_grad();
            var (t1, t2) = net.Forward(input);
            SequenceLoss.Weighted(t2, targets, input.Mask).backward();
            optimizer.step();
        }
        net.eval();
        var (e1, e2) = net.Forward(input);
        Assert.True((e2 - e1).abs().max().item<float>() > 1e-4, "training must give SeqModel2 a correction of its own");
    }

    [Fact]
    public void Residual_IsOffUnlessSet_AndSurvivesTheManifestRoundTrip()
    {
        // A config (SeqTrainConfig's options) or a model.json written before the option existed (ModelManifest's) means off.
        var plain = System.Text.Json.JsonSerializer.Deserialize<SequenceNetOptions>("{\"convNarrow\": 4}", Ich.Training.Sequence.SeqTrainConfig.JsonOptions)!;
        Assert.False(plain.Stage2Residual);
        plain = System.Text.Json.JsonSerializer.Deserialize<SequenceNetOptions>("{\"convNarrow\": 4}", Ich.Model.Folder.ModelManifest.JsonOptions)!;
        Assert.False(plain.Stage2Residual);
        var json = System.Text.Json.JsonSerializer.Serialize(TinySequenceBatch.Options(2, residual: true), Ich.Model.Folder.ModelManifest.JsonOptions);
        Assert.Contains("\"stage2Residual\": true", json);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<SequenceNetOptions>(json, Ich.Model.Folder.ModelManifest.JsonOptions)!.Stage2Residual);
    }

    [Fact]
    public void Weighted_OneRealOnePaddedSlice_MatchesHandComputation()
    {
        using var scope = NewDisposeScope();
        float[] x = [0.5f, -1f, 2f, 0f, -0.25f, 3f];
        float[] y = [1, 0, 1, 0, 0, 1];
        var logits = tensor(x.Concat(new float[] { 9, 9, 9, 9, 9, 9 }).ToArray()).view(1, 2, 6);
        var targets = tensor(y.Concat(new float[] { 0, 0, 0, 0, 0, 0 }).ToArray()).view(1, 2, 6);
        var mask = tensor(new float[] { 1, 0 }).view(1, 2);
        double[] w = [2, 1, 1, 1, 1, 1];
        var expected = 0.0;
        for (var c = 0; c < 6; c++)
        {
            var p = 1 / (1 + Math.Exp(-x[c]));
            expected += w[c] * -(y[c] * Math.Log(p) + (1 - y[c]) * Math.Log(1 - p));
        }
        expected /= 7;
        var loss = SequenceLoss.Weighted(logits, targets, mask).item<float>();
        Assert.Equal(expected, loss, 5);
    }

    private static SequenceTensors Pad(SequenceTensors s, long to)
    {
        var extra = to - s.Mask.shape[1];
        return new SequenceTensors(
            nn.functional.pad(s.Features, [0, 0, 0, extra]),
            nn.functional.pad(s.Probabilities, [0, 0, 0, extra]),
            nn.functional.pad(s.DeltaZ, [0, extra]),
            null,
            nn.functional.pad(s.Mask, [0, extra]),
            s.Lengths);
    }

    private static (float Loss, List<Tensor> Grads, Tensor InputGrad) LossAndGrads(SliceSequenceNet net, SequenceTensors input, Tensor targets)
    {
        net.zero_grad();
        var features = input.Features.detach().requires_grad_(true);
        manual_seed(99); // identical dropout masks in both runs
        var (s1, s2) = net.Forward(input with { Features = features });
        var loss = SequenceLoss.Joint(s1, s2, targets, input.Mask);
        loss.backward();
        var grads = net.parameters().Select(p => p.grad!.clone()).ToList();
        return (loss.item<float>(), grads, features.grad!.clone());
    }
}
