using Ich.TestKit;

namespace Ich.Data.Tests;

/// <summary>Small helpers to write bad-input files into a temporary folder.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = RepoPaths.NewTempDir("ich-data");

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
