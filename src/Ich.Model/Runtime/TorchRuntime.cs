using TorchSharp;

namespace Ich.Model.Runtime;

/// <summary>
/// The one place that prepares libtorch for this process: the native-library fix, thread count and
/// device choice. Every entry point (CLI, tests, benchmarks) calls <see cref="Initialize"/> before the
/// first tensor is made.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>Applies <see cref="LibTorchSharpCompat"/> and loads the native libraries. Idempotent.</summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            if (!_initialized)
            {
                LibTorchSharpCompat.EnsurePatched();
                torch.InitializeDeviceType(DeviceType.CPU);
                _initialized = true;
            }
            if (threads is > 0) torch.set_num_threads(threads.Value);
        }
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
                throw new Ich.Core.Errors.ConfigException(
                    $"device '{option}' requested but CUDA is not available (this build ships libtorch-cpu; " +
                    "install a TorchSharp CUDA package and a GPU driver, or use --device cpu)");
            return new torch.Device(text);
        }
        throw new Ich.Core.Errors.ConfigException($"unknown device '{option}' (expected cpu, cuda or cuda:N)");
    }
}
