namespace Ich.Application.Prediction;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler on the reporting thread, at once. (The BCL's
/// <see cref="Progress{T}"/> posts to the thread pool when there is no synchronization context, so a
/// console host would print out of order and possibly after the run has returned.)
/// </summary>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
