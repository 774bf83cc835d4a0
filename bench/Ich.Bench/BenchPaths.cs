namespace Ich.Bench;

/// <summary>Where the repository and the shared corpora are, for every benchmark.</summary>
internal static class BenchPaths
{
    /// <summary>The repository root (the folder holding Ich.slnx).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ich.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ich.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>$ICH_SHARED, else ../shared beside the repository.</summary>
    public static string SharedRoot() =>
        Environment.GetEnvironmentVariable("ICH_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared"));
}
