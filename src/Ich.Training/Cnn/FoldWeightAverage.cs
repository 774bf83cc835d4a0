using Ich.Model.Cnn;
using Ich.Model.Cnn.Segmentation;

namespace Ich.Training.Cnn;

/// <summary>
/// The weight average of one training fold (<see cref="CnnTrainConfig.AverageWeightsFrom"/>): the network's and its
/// decoder's, the plain mean of their weights after every optimizer step from <see cref="StartStep"/> on. Steps are
/// counted from the fold's start by their place (epoch × batches per epoch + batch), so a resumed fold counts on exactly.
/// </summary>
internal sealed class FoldWeightAverage(SliceCnn network, SegmentationDecoder? decoder, long startStep) : IDisposable
{
    private readonly WeightAverage _network = new(network);
    private readonly WeightAverage? _decoder = decoder is null ? null : new WeightAverage(decoder);

    /// <summary>The first step (0-based) whose weights go into the average.</summary>
    public long StartStep { get; } = startStep;

    /// <summary>Whether the average holds any step once <paramref name="stepsDone"/> steps have been taken.</summary>
    public bool HasStarted(long stepsDone) => stepsDone > StartStep;

    /// <summary>Folds in the weights just after step <paramref name="step"/> (0-based); steps before the start are skipped.</summary>
    public void AfterStep(long step)
    {
        if (step < StartStep) return;
        var n = step - StartStep + 1;
        var keep = (n - 1) / (double)n; // the n-th weights get 1/n: the plain mean of all of them
        _network.Update(keep);
        _decoder?.Update(keep);
    }

    /// <summary>Exchanges the live weights with the average (twice restores both).</summary>
    public void Swap()
    {
        _network.Swap();
        _decoder?.Swap();
    }

    /// <summary>Saves the average as checkpoints of the network (and decoder, when there is one).</summary>
    public void Save(string networkPath, string decoderPath)
    {
        _network.Save(network, networkPath);
        _decoder?.Save(decoder!, decoderPath);
    }

    /// <summary>Replaces the average with checkpoints written by <see cref="Save"/>.</summary>
    public void Load(string networkPath, string decoderPath)
    {
        _network.Load(network, networkPath);
        _decoder?.Load(decoder!, decoderPath);
    }

    public void Dispose()
    {
        _network.Dispose();
        _decoder?.Dispose();
    }
}
