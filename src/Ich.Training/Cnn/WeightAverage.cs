using static TorchSharp.torch;

namespace Ich.Training.Cnn;

/// <summary>
/// An exponential moving average of a module's weights over the optimizer steps (<c>ema</c> in a CNN config): after
/// each step, average ← d·average + (1 − d)·weights, with d = min(decay, (1 + t) / (10 + t)) at step t so the first
/// steps' random weights do not linger. Every floating state entry is averaged — parameters and BatchNorm's running
/// statistics alike — and integer buffers (BatchNorm's batch counter) are copied. Why: an average over the weights
/// the last part of training visits sits in a flatter region of the loss than its last point, which is what holds up
/// when the input's style shifts. The average lives beside the module; <see cref="Swap"/> exchanges the two in place,
/// exactly, so the same module validates and saves the average and then trains on.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly List<(Tensor Live, Tensor Average)> _pairs = [];

    /// <summary>Starts the average at the module's current weights.</summary>
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

    /// <summary>The decay used at step <paramref name="step"/> (0-based) for a configured <paramref name="decay"/>.</summary>
    public static double DecayAt(double decay, long step) => Math.Min(decay, (1.0 + step) / (10.0 + step));

    /// <summary>Folds the module's current weights into the average as step <paramref name="step"/> (0-based).</summary>
    public void Update(double decay, long step)
    {
        var d = DecayAt(decay, step);
        using var _ = no_grad();
        foreach (var (live, average) in _pairs)
        {
            if (live.is_floating_point()) average.mul_(d).add_(live, alpha: 1 - d);
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
