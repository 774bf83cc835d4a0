using Ich.Model.Cnn;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// "Can the network learn at all?": with augmentation off, the trainer's loss (<see cref="CnnLoss"/>) on one
/// fixed batch must fall from chance level to near zero within a bounded number of Adam steps. Labels are
/// an arbitrary pattern per image (not the blob), so only memorisation through a working forward pass,
/// loss, backward pass and optimiser step can reach zero; a detached graph, a wrong label layout or a dead
/// layer leaves the loss near its start.
/// </summary>
public class OverfitOneBatchTests
{
    [Fact]
    public void SmallCnn_OneFixedBatch_LossFallsNearZeroWithin150Steps()
    {
        const int size = 64, batch = 8, maxSteps = 150;
        const double target = 0.05;
        var scans = TinyScans.Make(batch, 1, size: 48, seed: 3);
        var table = new SliceTable(scans, size);
        var idx = Enumerable.Range(0, batch).ToArray();
        // Six labels per image from the bits of (image index × 37 + 11): every class has both values in the batch.
        var labels = idx.SelectMany(i => Enumerable.Range(0, 6).Select(c => (float)(((i * 37 + 11) >> c) & 1))).ToArray();
        Assert.All(Enumerable.Range(0, 6), c => Assert.Contains(idx, i => labels[i * 6 + c] == 0f));
        Assert.All(Enumerable.Range(0, 6), c => Assert.Contains(idx, i => labels[i * 6 + c] == 1f));

        using var scope = NewDisposeScope();
        using var model = CnnFactory.Create("small", seed: 4);
        model.train();
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var x = Augmenter.Stack(table, idx, CPU);
        var y = tensor(labels, [batch, 6]);
        var weights = tensor(new float[] { 2, 1, 1, 1, 1, 1 }).view(1, -1);

        double first = double.NaN, last = double.NaN;
        var steps = 0;
        while (steps < maxSteps)
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            var loss = CnnLoss.Classification(model.call(x), y, weights, 7f);
            loss.backward();
            optimizer.step();
            last = loss.item<float>();
            if (steps == 0) first = last;
            steps++;
            if (last < target) break;
        }
        // Chance level for BCE is ln 2 ≈ 0.69; a freshly initialised net is near it.
        Assert.InRange(first, 0.4, 3.0);
        Assert.True(last < target, $"loss {last:F4} after {steps} steps (started at {first:F4}); the network cannot fit one batch");
    }
}
