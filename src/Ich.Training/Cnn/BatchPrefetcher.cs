namespace Ich.Training.Cnn;

/// <summary>
/// Hands out items 0, 1, 2, … of a run in order, building item i + 1 on a worker thread while the caller uses item i.
/// A CNN step is two phases: the batch is built in C# on one thread (insertion, intensity augmentation, windows), then
/// libtorch runs forward and backward on both cores; overlapping them lets the build use the core libtorch leaves idle
/// between its own steps (a few per cent of an epoch: `bench/run cnn-epoch`). The build must be a pure function of the index (every batch
/// draws from streams seeded by its position), so the items — and the trained weights — are exactly those of building
/// each one when it is needed; only one build runs at a time, so the builder needs no locks of its own.
/// </summary>
public sealed class BatchPrefetcher<T> : IDisposable
{
    private readonly Func<int, T> _build;
    private readonly int _end;
    private Task<T>? _pending;
    private int _pendingIndex = -1;

    /// <param name="build">Builds item i (0 ≤ i &lt; end), one call at a time.</param>
    /// <param name="end">One past the last index the run will ask for: nothing is built past it.</param>
    public BatchPrefetcher(Func<int, T> build, int end)
    {
        ArgumentNullException.ThrowIfNull(build);
        _build = build;
        _end = end;
    }

    /// <summary>
    /// Item <paramref name="index"/> (built now if it was not the one prefetched), after starting the build of
    /// <paramref name="index"/> + 1. A build's exception is rethrown here, as itself, by the take that asks for its item.
    /// </summary>
    public T Take(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _end);
        T item;
        if (_pending is not null && _pendingIndex == index)
        {
            item = _pending.GetAwaiter().GetResult();
            _pending = null;
        }
        else
        {
            Drain();
            item = _build(index);
        }
        if (index + 1 < _end)
        {
            var next = index + 1;
            _pendingIndex = next;
            // Queued with exact arithmetic: a pool thread that the queueing starts copies this thread's float mode, and a
            // flushing training thread (DenormalFlushing) must not leave flushing pool threads behind for later work.
            _pending = Ich.Model.Runtime.DenormalFlushing.InMode(false, () => Task.Run(() => _build(next)));
        }
        return item;
    }

    /// <summary>Waits for a build still running (its result or error is dropped), so nothing outlives the run's data.</summary>
    public void Dispose() => Drain();

    private void Drain()
    {
        if (_pending is null) return;
        try { _pending.Wait(); }
        catch (AggregateException) { /* an item nobody will take: its error is not this run's */ }
        _pending = null;
    }
}
