using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// A running average of a module's weights over optimizer steps (<c>averageWeightsFrom</c> in a CNN config): each
/// <see cref="Update"/> folds the current weights in with a given share of the old average kept, so keeping (n − 1)/n at
/// the n-th step gives the plain mean of every weight visited since the average started. Every floating state entry is
/// averaged — parameters and BatchNorm's running statistics alike — and integer buffers (BatchNorm's batch counter) are
/// copied. Why: the mean of the weights the last stretch of training visits sits in a flatter region of the loss than its
/// last point, which is what holds up when the input's style shifts. The average lives beside the module; <see cref="Swap"/>
/// exchanges the two in place, exactly, so the same module validates and saves the average and then trains on.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly List<(Tensor Live, Tensor Average)> _pairs = [];

    /// <summary>Holds a copy of the module's current weights as the average (an <see cref="Update"/> with keep 0 restarts it).</summary>
    public WeightAverage(TorchSharp.torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var _ = no_grad();
        foreach (var (_, t) in module.state_dict())
        {
            using var detached = t.detach();
            _pairs.Add((t, detached.clone()));
        }
    }

    /// <summary>average ← keep·average + (1 − keep)·weights (keep 0 restarts the average at the weights).</summary>
    public void Update(double keep)
    {
        if (keep is < 0 or >= 1 || double.IsNaN(keep)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "in [0, 1)");
        using var _ = no_grad();
        foreach (var (live, average) in _pairs)
        {
            if (live.is_floating_point()) average.mul_(keep).add_(live, alpha: 1 - keep);
            else average.copy_(live);
        }
    }

    /// <summary>Exchanges the module's weights with the average (twice restores both, bit for bit).</summary>
    public void Swap()
    {
        using var _ = no_grad();
        foreach (var (live, average) in _pairs)
        {
            using var held = live.clone();
            live.copy_(average);
            average.copy_(held);
        }
    }

    /// <summary>Saves the average as a checkpoint of <paramref name="module"/>'s kind (the module keeps its own weights).</summary>
    public void Save(TorchSharp.torch.nn.Module module, string path)
    {
        Swap();
        try { module.save(path); }
        finally { Swap(); }
    }

    /// <summary>Replaces the average with a checkpoint written by <see cref="Save"/> (the module keeps its own weights).</summary>
    public void Load(TorchSharp.torch.nn.Module module, string path)
    {
        Swap();
        try { module.load(path, strict: true); }
        finally { Swap(); }
    }

    public void Dispose()
    {
        foreach (var (_, average) in _pairs) average.Dispose();
        _pairs.Clear();
    }
}
