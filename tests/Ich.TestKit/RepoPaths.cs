using Xunit;
namespace Ich.TestKit;

/// <summary>
/// Where the repository, its committed fixtures and the optional big corpora (<c>../shared</c>) are.
/// Tests on the corpora call <see cref="RequireShared"/>, which skips them by name when the corpora
/// are absent (a user's fresh clone), and runs them whenever they are there (developers, CI).
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding Ich.slnx).</summary>
    public static string Root => RootLazy.Value;

    /// <summary>Committed small fixtures.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    /// <summary>The shared corpora folder: $ICH_SHARED, else ../shared beside the repository.</summary>
    public static string Shared =>
        Environment.GetEnvironmentVariable("ICH_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>Path of a file or folder inside the shared corpora, or a skip when it is absent.</summary>
    public static string RequireShared(string relative)
    {
        var path = Path.Combine(Shared, relative);
        Skip.IfNot(File.Exists(path) || Directory.Exists(path),
            $"skipped: corpus '{relative}' not found under {Shared} (present beside developer checkouts and in CI)");
        return path;
    }

    /// <summary>A fresh empty temporary folder, removed by the caller or left for inspection on failure.</summary>
    public static string NewTempDir(string prefix = "ich-test")
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ich.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ich.slnx not found above " + AppContext.BaseDirectory);
    }
}
