using Ich.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Runtime;

/// <summary>
/// libtorch's OpenMP workers are shared by the whole process: while another test trains with flushed denormals they flush
/// too, and a check of exact arithmetic here would see it. So these run alone, after the parallel tests.
/// </summary>
[Collection(Seq.TorchSerialCollection.Name)]
public class DenormalFlushingTests
{
    // 1e-39 is below float's smallest normal (1.18e-38): a denormal. Large enough that libtorch splits the multiply
    // across its OpenMP workers (grain 32768), so the workers' mode is tested with the thread's own.
    private const int Elements = 1 << 20;
    private static readonly float[] Denormal = [1e-39f];

    /// <summary>How many elements of 1e-39 × 2 come out non-zero (0 when flushing, all of them when exact).</summary>
    private static long NonZeroProducts()
    {
        using var scope = NewDisposeScope();
        var product = full(Elements, 1e-39f) * 2f;
        return product.count_nonzero().item<long>();
    }

    /// <summary>1e-39 × 2 computed exactly: a denormal's mantissa doubled.</summary>
    private static readonly float ExactProduct = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1e-39f) * 2);

    /// <summary>A .NET float multiply the JIT cannot fold (the operand comes from an array).</summary>
    private static float ManagedProduct() => Denormal[0] * 2f;

    /// <summary>
    /// Runs a test's body on a new thread with the test thread's libtorch thread count, asked for exact mode before
    /// anything else: its OpenMP workers are made at its first parallel region, in that mode. The test runner's threads
    /// carry whatever earlier tests left them: a CI run (the machine busy with training) saw half of an exact product
    /// flushed on one — the thread's own half exact, its OpenMP worker's half flushed — and another saw a runner thread
    /// flushing itself (a new thread copies its creator's mode), so checks of exact arithmetic must not depend on it.
    /// </summary>
    private static T OnAThreadOfItsOwn<T>(Func<T> body)
    {
        TorchRuntime.Initialize();
        var threads = get_num_threads();
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                set_num_threads(threads);
                result = DenormalFlushing.InMode(false, body);
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException($"the test's thread failed: {failure}");
        return result;
    }

    [Fact]
    public void Run_Flushing_ZeroesDenormalsOnItsThreadAndLibtorchsWorkers_AndLeavesTheCallerExact()
    {
        var (nonZero, managed, callerNonZero, callerManaged) = OnAThreadOfItsOwn(() =>
        {
            var (inside, insideManaged) = DenormalFlushing.Run(true, () => (NonZeroProducts(), ManagedProduct()));
            return (inside, insideManaged, NonZeroProducts(), ManagedProduct());
        });
        Assert.Equal(0, nonZero);
        Assert.Equal(0f, managed);
        Assert.Equal(Elements, callerNonZero);
        Assert.Equal(ExactProduct, callerManaged);
    }

    [Fact]
    public void Run_Flushing_ThreadsItStartsFlushToo_UnlessStartedFromExactMode()
    {
        static float ProductOnANewThread()
        {
            var product = float.NaN;
            var thread = new Thread(() => product = ManagedProduct());
            thread.Start();
            thread.Join();
            return product;
        }
        var (inherited, startedExact) = DenormalFlushing.Run(true, () => (ProductOnANewThread(), DenormalFlushing.InMode(false, ProductOnANewThread)));
        Assert.Equal(0f, inherited);
        Assert.Equal(ExactProduct, startedExact);
    }

    /// <summary>A thread started by a flushing thread copies its mode without being a flushing run's own; asking it for
    /// exact work must give exact arithmetic, and leave it exact.</summary>
    [Fact]
    public void InMode_Exact_OnAThreadThatInheritedFlushing_IsExactAndStaysExact()
    {
        var (inherited, exact, afterwards) = DenormalFlushing.Run(true, () =>
        {
            (float, float, float) products = default;
            var thread = new Thread(() => products = (ManagedProduct(), DenormalFlushing.InMode(false, ManagedProduct), ManagedProduct()));
            thread.Start();
            thread.Join();
            return products;
        });
        Assert.Equal(0f, inherited);
        Assert.Equal(ExactProduct, exact);
        Assert.Equal(ExactProduct, afterwards);
    }

    /// <summary>A plain thread that flushes for one piece of work is exact again after it, every time (the switch's
    /// "off" once read a pointer's byte as its flag and left such threads flushing).</summary>
    [Fact]
    public void InMode_Flushing_OnAPlainThread_LeavesItExactAfterEveryUse()
    {
        var products = new List<float>();
        var thread = new Thread(() =>
        {
            for (var use = 0; use < 3; use++)
            {
                products.Add(DenormalFlushing.InMode(true, ManagedProduct));
                products.Add(ManagedProduct());
            }
        });
        TorchRuntime.Initialize();
        thread.Start();
        thread.Join();
        Assert.Equal([0f, ExactProduct, 0f, ExactProduct, 0f, ExactProduct], products);
    }

    [Fact]
    public void Run_NotFlushing_RunsOnTheCallersThreadWithExactArithmetic()
    {
        var (caller, thread, nonZero) = OnAThreadOfItsOwn(() =>
        {
            var caller = Environment.CurrentManagedThreadId;
            var (thread, nonZero) = DenormalFlushing.Run(false, () => (Environment.CurrentManagedThreadId, NonZeroProducts()));
            return (caller, thread, nonZero);
        });
        Assert.Equal(caller, thread);
        Assert.Equal(Elements, nonZero);
    }

    [Fact]
    public void Run_Flushing_KeepsTheCallersLibtorchThreadCount()
    {
        TorchRuntime.Initialize();
        var callers = get_num_threads();
        Assert.Equal(callers, DenormalFlushing.Run(true, get_num_threads));
    }

    [Fact]
    public void Run_Flushing_RethrowsTheWorksExceptionAsItself()
    {
        var thrown = Assert.Throws<InvalidDataException>(() => DenormalFlushing.Run<int>(true, () => throw new InvalidDataException("fold 3 failed")));
        Assert.Equal("fold 3 failed", thrown.Message);
    }

    [Fact]
    public async Task InMode_OnAThreadThatDoesNotFlush_FlushesForTheWorkOnly()
    {
        TorchRuntime.Initialize();
        var (during, after) = await Task.Factory.StartNew(() =>
        {
            var inside = DenormalFlushing.InMode(true, ManagedProduct);
            return (inside, ManagedProduct());
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.Equal(0f, during);
        Assert.Equal(ExactProduct, after);
    }

    [Fact]
    public void InMode_OnAFlushingThread_GoesBackToFlushingAfterExactWork()
    {
        var (exact, afterwards) = DenormalFlushing.Run(true, () => (DenormalFlushing.InMode(false, ManagedProduct), ManagedProduct()));
        Assert.Equal(ExactProduct, exact);
        Assert.Equal(0f, afterwards);
    }
}
