using System.Collections.Concurrent;
using Ich.Training.Cnn;

namespace Ich.Pipeline.Tests.Cnn;

/// <summary>
/// The prefetcher behind CNN training: items in order, each built once, nothing past the end, a build's error surfaced
/// as itself by the take that asks for that item, and no build left running after dispose.
/// </summary>
public class BatchPrefetcherTests
{
    [Fact]
    public void Take_InOrder_ReturnsEachItemBuiltOnceAndNothingPastTheEnd()
    {
        var built = new ConcurrentBag<int>();
        using (var prefetch = new BatchPrefetcher<string>(i => { built.Add(i); return $"batch {i}"; }, end: 5))
        {
            for (var i = 0; i < 5; i++) Assert.Equal($"batch {i}", prefetch.Take(i));
        }
        Assert.Equal([0, 1, 2, 3, 4], built.Order());
    }

    [Fact]
    public void Take_StartingMidRun_AsAResumedEpochDoes_BuildsFromThere()
    {
        var built = new ConcurrentBag<int>();
        using (var prefetch = new BatchPrefetcher<int>(i => { built.Add(i); return i * 10; }, end: 6))
        {
            Assert.Equal(30, prefetch.Take(3));
            Assert.Equal(40, prefetch.Take(4));
        }
        // 5 was prefetched while 4 was in use, and dropped at dispose.
        Assert.Equal([3, 4, 5], built.Order());
    }

    [Fact]
    public void Take_OfAnItemWhoseBuildFailed_RethrowsTheBuildsOwnException()
    {
        using var prefetch = new BatchPrefetcher<int>(i => i == 2 ? throw new InvalidDataException($"slice {i} unreadable") : i, end: 4);
        Assert.Equal(0, prefetch.Take(0));
        Assert.Equal(1, prefetch.Take(1)); // starts the failing build of 2 in the background
        var error = Assert.Throws<InvalidDataException>(() => prefetch.Take(2));
        Assert.Equal("slice 2 unreadable", error.Message);
    }

    [Fact]
    public void Dispose_WaitsForTheBuildInFlight_AndDropsItsError()
    {
        var finished = 0;
        var prefetch = new BatchPrefetcher<int>(i =>
        {
            if (i == 0) return 0;
            Thread.Sleep(200);
            Interlocked.Exchange(ref finished, 1);
            throw new InvalidOperationException("never taken");
        }, end: 2);
        Assert.Equal(0, prefetch.Take(0));
        prefetch.Dispose();
        Assert.Equal(1, Volatile.Read(ref finished));
    }

    [Fact]
    public void Take_OutsideTheRun_IsRejected()
    {
        using var prefetch = new BatchPrefetcher<int>(i => i, end: 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => prefetch.Take(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => prefetch.Take(-1));
    }
}
