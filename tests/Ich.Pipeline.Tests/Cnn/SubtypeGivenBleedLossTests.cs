using Ich.Model.Runtime;
using Ich.TestKit;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The subtype-given-bleed term (<see cref="CnnLoss.SubtypeGivenBleed"/>): the mean BCE of the five subtype columns
/// over bleeding rows only, checked against a hand computation, and shown to ignore (in value and gradient) the rows
/// without a bleed and the any column.
/// </summary>
public class SubtypeGivenBleedLossTests
{
    static readonly float[] Logits =
    [
        1.5f, 2.0f, -1.0f, 0.3f, -0.7f, 0.1f,  // bleeding: epidural
        0.2f, -0.5f, 1.2f, 0.8f, -2.0f, 0.4f,  // bleeding: intraparenchymal + intraventricular
        -3.0f, 4.0f, 4.0f, 4.0f, 4.0f, 4.0f,  // no bleed: confident wrong subtype logits that must not count
    ];
    static readonly float[] Labels =
    [
        1, 1, 0, 0, 0, 0,
        1, 0, 1, 1, 0, 0,
        0, 0, 0, 0, 0, 0,
    ];

    static double Bce(double logit, double label) => Math.Max(logit, 0) - logit * label + Math.Log(1 + Math.Exp(-Math.Abs(logit)));

    [Fact]
    public void Value_IsTheMeanSubtypeBceOverBleedingRowsOnly()
    {
        using var scope = NewDisposeScope();
        var value = CnnLoss.SubtypeGivenBleed(tensor(Logits, [3, 6]), tensor(Labels, [3, 6])).item<float>();
        var expected = Enumerable.Range(0, 2).SelectMany(r => Enumerable.Range(1, 5).Select(c => Bce(Logits[r * 6 + c], Labels[r * 6 + c]))).Average();
        Assert.Equal(expected, value, 5);
    }

    [Fact]
    public void Gradient_ReachesOnlyTheSubtypeLogitsOfBleedingRows()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(Logits, [3, 6]).requires_grad_();
        CnnLoss.SubtypeGivenBleed(logits, tensor(Labels, [3, 6])).backward();
        var grad = logits.grad!.data<float>().ToArray();
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 6; c++)
            {
                var mustMove = r < 2 && c > 0;
                Assert.True(mustMove == (grad[r * 6 + c] != 0f), $"row {r} column {c}: gradient {grad[r * 6 + c]}");
            }
    }

    [Fact]
    public void BatchWithoutBleeds_GivesZero()
    {
        using var scope = NewDisposeScope();
        var value = CnnLoss.SubtypeGivenBleed(tensor(Logits, [3, 6]), zeros(3, 6)).item<float>();
        Assert.Equal(0f, value);
    }

    [Fact]
    public void Total_WithWeightZero_IsTheClassificationLoss_AndWithAWeight_AddsTheTerm()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(Logits, [3, 6]);
        var labels = tensor(Labels, [3, 6]);
        var weights = tensor(new float[] { 2, 1, 1, 1, 1, 1 }).view(1, -1);
        var plain = CnnLoss.Classification(logits, labels, weights, 7f).item<float>();
        Assert.Equal(plain, CnnLoss.Total(logits, labels, weights, 7f, 0).item<float>());
        var term = CnnLoss.SubtypeGivenBleed(logits, labels).item<float>();
        Assert.Equal(plain + 0.5f * term, CnnLoss.Total(logits, labels, weights, 7f, 0.5).item<float>(), 5);
    }

    [Fact]
    public void Trainer_WithTheTerm_TrainsOtherWeights_AndTheConfigRejectsANegativeWeight()
    {
        var config = new CnnTrainConfig
        {
            Backbone = "small", ImageSize = 64, BatchSize = 8, Epochs = 1, Folds = 2, TrainFolds = 1, Seed = 5,
            MaskLoss = 1, InsertBleeds = new BleedInsertionConfig { Probability = 0.5, AssumedSpacingMm = 0.9 },
        };
        // The weights the run keeps: the term must change what is learned, not only the loss it reports.
        byte[] TrainedWeights(CnnTrainConfig c)
        {
            var dir = RepoPaths.NewTempDir();
            Assert.True(new CnnTrainer(c, TinyScans.Make(4, 4, size: 160), dir, TorchRuntime.ResolveDevice("cpu")).RunWithRetry(false, default).Completed);
            var bytes = File.ReadAllBytes(Path.Combine(dir, "fold0", "best.model"));
            Directory.Delete(dir, true);
            return bytes;
        }
        var plain = TrainedWeights(config);
        Assert.Equal(plain, TrainedWeights(config)); // deterministic, so a difference below is the term's
        Assert.NotEqual(plain, TrainedWeights(config with { SubtypeGivenBleed = 1 }));
        Assert.Contains("subtypeGivenBleed must be in [0, 10]",
            Assert.Throws<Ich.Core.Errors.ConfigException>(() => (config with { SubtypeGivenBleed = -1 }).Validate()).Message, StringComparison.Ordinal);
    }
}
