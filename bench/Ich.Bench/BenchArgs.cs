using System.Globalization;

namespace Ich.Bench;

/// <summary>A benchmark's command line was wrong; Program prints the message and exits 2, without a stack trace.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);

/// <summary>
/// The one way benchmarks read their arguments: a value that is present must parse, or the run stops with a
/// <see cref="BenchUsageException"/> naming the argument (never a silent fallback to the default).
/// </summary>
internal static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, null when the option is absent.</summary>
    public static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return null;
        if (i + 1 >= args.Length) throw new BenchUsageException($"{name} needs a value");
        return args[i + 1];
    }

    /// <summary>The whole number after <paramref name="name"/>, <paramref name="fallback"/> when the option is absent.</summary>
    public static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } text ? PositiveInt(text, name) : fallback;

    /// <summary>Positional argument <paramref name="index"/> as a whole number, <paramref name="fallback"/> when there are fewer.</summary>
    public static int IntAt(string[] args, int index, string what, int fallback) =>
        index < args.Length ? PositiveInt(args[index], what) : fallback;

    private static int PositiveInt(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new BenchUsageException($"{what} must be a positive whole number, got '{text}'");
}
