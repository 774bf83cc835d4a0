using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Ich.Bench;

/// <summary>
/// One line naming the machine a benchmark ran on: timings differ by a factor of three between hosts of the same
/// "2-core" size (CPU model, AVX-512 or not) and by tens of percent with load, so every figure carries both.
/// </summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var simd = Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : "no AVX2";
        return $"machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {simd}; load average (1 min) at start {LoadAverage()}";
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return "CPU model unknown";
        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "CPU model unknown" : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string LoadAverage()
    {
        const string loadAvg = "/proc/loadavg";
        if (!File.Exists(loadAvg)) return "unknown";
        var first = File.ReadAllText(loadAvg).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load.ToString("0.00", CultureInfo.InvariantCulture)
            : "unknown";
    }
}
