using System.Globalization;

namespace Ich.Cli.Commands;

/// <summary>The process's peak resident set size, from Linux's <c>/proc/self/status</c> (VmHWM).</summary>
internal static class PeakMemory
{
    public static long ResidentKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        throw new InvalidOperationException("/proc/self/status has no VmHWM line");
    }
}
