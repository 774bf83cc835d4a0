using System.Text.Json;
using Ich.TestKit;

namespace Ich.Metrics.Tests;

/// <summary>Reads the reference values made by tools/metrics/make_fixtures.py (scikit-learn, numpy, statsmodels).</summary>
internal static class MetricFixtures
{
    public const double Tolerance = 1e-9;

    public static string Dir => Path.Combine(RepoPaths.Fixtures, "metrics");

    private static readonly Lazy<JsonElement> CasesLazy = new(() => Load("cases.json").GetProperty("cases"));

    public static JsonElement Load(string relative) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, relative))).RootElement;

    public static IEnumerable<object[]> CaseNames() =>
        CasesLazy.Value.EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    public static BinaryCase Case(string name)
    {
        var c = CasesLazy.Value.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        return new BinaryCase(
            c.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32() == 1).ToArray(),
            c.GetProperty("groups").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            c.GetProperty("expected"));
    }

    public static double? NumberOrNull(this JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    public static Interval? IntervalOrNull(this JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? null : new Interval(e[0].GetDouble(), e[1].GetDouble());

    public static void Near(double? expected, double? actual, string what)
    {
        if (expected is null) { Assert.True(actual is null, $"{what}: expected undefined, got {actual}"); return; }
        Assert.True(actual is not null, $"{what}: expected {expected}, got undefined");
        Assert.True(Math.Abs(expected.Value - actual!.Value) <= Tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }

    public static void Near(Interval? expected, Interval? actual, string what)
    {
        Near(expected?.Low, actual?.Low, what + " (low)");
        Near(expected?.High, actual?.High, what + " (high)");
    }

    /// <summary>NaN (the library's "undefined") as null, for comparison with JSON null.</summary>
    public static double? Defined(double value) => double.IsNaN(value) ? null : value;
}

internal sealed record BinaryCase(double[] Scores, bool[] Labels, string[] Groups, JsonElement Expected);
