using Ich.Core.Errors;
using TorchSharp;

namespace Ich.Model.Runtime;

/// <summary>
/// The one place that prepares libtorch for this process: native-library loading, thread count and
/// device choice. (The shim's GLIBCXX fix is applied at build time, build/LibTorchSharpShimPatch.cs, so
/// nothing here writes into the application folder.) Every entry point (CLI, tests, benchmarks) calls <see cref="Initialize"/> before the
/// first tensor is made.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>Loads the native libraries (a clear <see cref="InstallationException"/> when they do not load). Idempotent.</summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            if (!_initialized)
            {
                // When loading fails TorchSharp prints a long trace to stdout (and tries to copy libtorch into the
                // application folder): keep stdout clean and carry that trace inside the exception for the log file.
                var trace = new StringWriter();
                var stdout = Console.Out;
                Console.SetOut(trace);
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException or BadImageFormatException)
                {
                    // TorchSharp's own message blames a missing package; the usual cause here is an unpatched shim.
                    throw new InstallationException(
                        "libtorch does not load: libLibTorchSharp.so was not patched at build time or libtorch is missing; " +
                        "rebuild with './ich' or 'dotnet build' (build/LibTorchSharpShimPatch.cs explains the patch)", AppContext.BaseDirectory,
                        new InvalidOperationException("TorchSharp's load trace:\n" + trace, e));
                }
                finally
                {
                    Console.SetOut(stdout);
                }
                _initialized = true;
            }
            if (threads is > 0) torch.set_num_threads(threads.Value);
        }
    }

    /// <summary>
    /// Sets this thread's libtorch thread count to <paramref name="threads"/> until the returned scope is disposed, which
    /// gives back the count it had (a worker's fold trained with one thread must be loaded under the same count).
    /// </summary>
    public static IDisposable ThreadCount(int threads)
    {
        Initialize();
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        return new RestoreThreads(previous);
    }

    private sealed class RestoreThreads(int previous) : IDisposable
    {
        public void Dispose() => torch.set_num_threads(previous);
    }

    /// <summary>
    /// Resolves a user's device option ("cpu", "cuda", "cuda:1"). CUDA fails with a clear message when
    /// this build or machine has none, instead of falling back silently to the CPU.
    /// </summary>
    public static torch.Device ResolveDevice(string? option)
    {
        Initialize();
        var text = string.IsNullOrWhiteSpace(option) ? "cpu" : option.Trim().ToLowerInvariant();
        if (text == "cpu") return torch.CPU;
        if (text.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ConfigException(
                    $"device '{option}' requested but CUDA is not available (this build ships libtorch-cpu; " +
                    "install a TorchSharp CUDA package and a GPU driver, or use --device cpu)");
            return new torch.Device(text);
        }
        throw new ConfigException($"unknown device '{option}' (expected cpu, cuda or cuda:N)");
    }
}
