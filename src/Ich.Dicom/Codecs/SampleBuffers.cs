using System.Buffers;

namespace Ich.Dicom.Codecs;

/// <summary>
/// Working int buffers of one decode, rented from the shared pool and returned on dispose, so that
/// decoding a series does not allocate (and garbage-collect) megabytes of large-object arrays per frame.
/// Rented arrays may be longer than asked and hold stale data: callers index within their own sizes
/// and write every sample they later read.
/// </summary>
internal sealed class SampleBuffers : IDisposable
{
    private readonly List<int[]> _rented = [];

    /// <summary>An array of at least <paramref name="length"/> ints.</summary>
    public int[] Rent(int length)
    {
        var array = ArrayPool<int>.Shared.Rent(Math.Max(length, 1));
        _rented.Add(array);
        return array;
    }

    public void Dispose()
    {
        foreach (var array in _rented) ArrayPool<int>.Shared.Return(array);
        _rented.Clear();
    }
}
