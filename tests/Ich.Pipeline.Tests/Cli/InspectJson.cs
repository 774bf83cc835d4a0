using System.Text.Json;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>Assertions on the JSON Lines objects of <c>ich inspect --json</c> (one per file).</summary>
internal static class InspectJson
{
    /// <summary>The keys the issue names as the contract; each must be present on every line (null when unknown).</summary>
    public static readonly string[] ContractKeys =
    [
        "path", "sopInstanceUid", "studyInstanceUid", "seriesInstanceUid", "transferSyntaxUid",
        "rows", "columns", "frames", "pixelSha256", "error",
    ];

    public static void HasContractKeys(JsonElement line)
    {
        Assert.Equal(JsonValueKind.Object, line.ValueKind);
        foreach (var key in ContractKeys)
            Assert.True(line.TryGetProperty(key, out _), $"key '{key}' missing in {line}");
    }

    public static string? Str(this JsonElement line, string key) =>
        line.GetProperty(key) is { ValueKind: JsonValueKind.Null } ? null : line.GetProperty(key).GetString();

    public static int? Int(this JsonElement line, string key) =>
        line.GetProperty(key) is { ValueKind: JsonValueKind.Null } ? null : line.GetProperty(key).GetInt32();

    /// <summary>The line of a path (exactly one).</summary>
    public static JsonElement ByPath(this IReadOnlyList<JsonElement> lines, string path)
    {
        var matches = lines.Where(l => l.Str("path") == path).ToList();
        Assert.True(matches.Count == 1, $"expected one line for {path}, found {matches.Count}; paths: {string.Join(", ", lines.Select(l => l.Str("path")))}");
        return matches[0];
    }

    /// <summary>A file that failed: error is a non-empty reason, the pixel hash is null.</summary>
    public static void IsFailure(JsonElement line)
    {
        Assert.False(string.IsNullOrWhiteSpace(line.Str("error")), $"expected an error: {line}");
        Assert.Null(line.Str("pixelSha256"));
    }

    /// <summary>A committed fixture's line agrees with its independent reference row.</summary>
    public static void Matches(JsonElement line, DicomFixture f)
    {
        HasContractKeys(line);
        if (f.MustFail)
        {
            IsFailure(line);
            if (f.Expect == "error-pixels") // the header is intact: the failed line still says which image it is
            {
                Assert.Equal(f.SopInstanceUid, line.Str("sopInstanceUid"));
                Assert.Equal(f.SeriesInstanceUid, line.Str("seriesInstanceUid"));
                Assert.Equal(f.TransferSyntaxUid, line.Str("transferSyntaxUid"));
                Assert.Equal(f.Rows, line.Int("rows"));
                Assert.Equal(f.Columns, line.Int("columns"));
            }
            return;
        }
        Assert.True(line.Str("error") is null, $"{f.Name}: unexpected error: {line}");
        Assert.Equal(f.TransferSyntaxUid, line.Str("transferSyntaxUid"));
        Assert.Equal(f.SopInstanceUid, line.Str("sopInstanceUid"));
        Assert.Equal(NullIfEmpty(f.StudyInstanceUid), line.Str("studyInstanceUid"));
        Assert.Equal(NullIfEmpty(f.SeriesInstanceUid), line.Str("seriesInstanceUid"));
        if (f.HeaderOnly)
        {
            Assert.Null(line.Str("pixelSha256"));
            return;
        }
        Assert.Equal(f.PixelSha256, line.Str("pixelSha256"));
        Assert.Equal(f.Rows, line.Int("rows"));
        Assert.Equal(f.Columns, line.Int("columns"));
        Assert.Equal(f.Frames ?? 1, line.Int("frames")); // "1A" (badVR.dcm) is read as 1, as GDCM does
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
