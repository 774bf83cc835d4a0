using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Ich.Core.Errors;
using TorchSharp;

namespace Ich.Model.Runtime;

/// <summary>
/// Runs training work with denormal floats flushed to zero. Late in training, weights and gradients that decay towards
/// zero pass through the denormal range, where the CPU computes tens of times slower: the default recipe's ResNet epochs
/// slow from ~60 s to ~105 s at epoch 10 (docs/training.md). Flushing them changes values only below 1.2e-38.
/// </summary>
/// <remarks>
/// The mode is a CPU register of each thread (MXCSR's flush-to-zero and denormals-are-zero bits), and a new thread copies
/// its creator's. So the work runs on a thread made for it: the caller's thread, and every thread that existed before,
/// keep exact arithmetic (nothing else in the process changes), while the OpenMP workers that libtorch starts for that
/// thread — libgomp keeps one worker pool per thread that opens a parallel region, made at its first one — inherit the
/// mode. The .NET code that runs on the thread flushes too: that is why <c>train all</c> makes its phantoms first, on
/// the caller's thread. TorchSharp does not expose the switch, so it is libtorch's own (<c>at::Context::setFlushDenormal</c>).
/// </remarks>
public static class DenormalFlushing
{
    /// <summary>Training threads need deep native stacks no more than the main thread does; this matches Linux's main thread.</summary>
    private const int StackBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread that flushes denormals (and its libtorch workers with it), with the
    /// caller's libtorch thread count; returns its result or rethrows its exception as itself. When
    /// <paramref name="flush"/> is false it simply runs <paramref name="work"/> here.
    /// </summary>
    public static T Run<T>(bool flush, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!flush) return work();
        TorchRuntime.Initialize();
        // libtorch's thread count is an OpenMP setting of the thread that made it; the new thread starts from the default.
        var threads = torch.get_num_threads();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                torch.set_num_threads(threads);
                FlushOnThisThread();
                result = work();
            }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        }, StackBytes) { Name = "ich-flush-denormals", IsBackground = false };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/> here with flushing set to <paramref name="flush"/>, then gives this thread back the
    /// mode it had been given (exact, unless it is <see cref="Run{T}"/>'s thread). For .NET work that a flushing run hands
    /// to pool threads (the CNN's prefetched batches): a pool thread has whatever mode the thread that started it had, so
    /// without this the same batch could be built exactly on one thread and flushed on another. A no-op wrapper when
    /// neither this call nor any thread of the process ever flushed, so runs without the option execute no native call.
    /// Once one has, a thread may flush without knowing it (a pool thread started by a flushing thread copies its mode),
    /// so asking for exact work then sets exact mode, and leaves the thread in it unless <see cref="Run{T}"/> made it.
    /// </summary>
    public static T InMode<T>(bool flush, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!flush && !_threadFlushes && !_anyThreadFlushed) return work();
        Set(flush);
        try { return work(); }
        finally { Set(_threadFlushes); }
    }

    /// <summary>Whether <see cref="Run{T}"/> made this thread to flush (the mode a thread returns to after <see cref="InMode{T}"/>).</summary>
    [ThreadStatic] private static bool _threadFlushes;

    /// <summary>Whether any thread of the process has been set to flush: from then on no thread's mode can be assumed exact.</summary>
    private static volatile bool _anyThreadFlushed;

    /// <summary>
    /// Turns flushing on for the calling thread and for threads it creates from now on. Only for a thread made for the
    /// purpose (as <see cref="Run{T}"/> does): the mode cannot be scoped to a block of code.
    /// </summary>
    private static void FlushOnThisThread()
    {
        Set(true);
        _threadFlushes = true;
    }

    private static void Set(bool flush)
    {
        if (flush) _anyThreadFlushed = true;
        bool supported;
        try { supported = Native.SetFlushDenormal(flush); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InstallationException("flushDenormals: libtorch's setFlushDenormal was not found in libtorch_cpu.so (another libtorch build?)", null, e);
        }
        // libtorch returns false, changing nothing, where the CPU has no such mode; turning it off always succeeds.
        if (flush && !supported) throw new ConfigException("flushDenormals: this CPU cannot flush denormals (libtorch's setFlushDenormal refused); turn the option off");
    }

    private static class Native
    {
        // The Itanium-mangled name of at::Context::setFlushDenormal(bool), exported by libtorch_cpu. It is a static member
        // (its code reads the flag from the first argument register), so it takes no context: passing one, as this did
        // until 2026-12-08, made libtorch take a byte of the context pointer as the flag: "exact" requests were observed
        // to leave threads flushing.
        [DllImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context16setFlushDenormalEb")]
        [return: MarshalAs(UnmanagedType.U1)]
        internal static extern bool SetFlushDenormal([MarshalAs(UnmanagedType.U1)] bool on);
    }
}
