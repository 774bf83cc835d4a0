using System.Security.Cryptography;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// A fingerprint of a folder tree (every file's relative path, size, last-write time and SHA-256), taken
/// before and after a verb runs to prove the verb neither modified, replaced, added nor removed an input.
/// </summary>
internal static class InputTree
{
    public static IReadOnlyDictionary<string, string> Fingerprint(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToDictionary(
                path => Path.GetRelativePath(root, path),
                path =>
                {
                    var info = new FileInfo(path);
                    using var stream = File.OpenRead(path);
                    return $"{info.Length} {info.LastWriteTimeUtc:O} {Convert.ToHexStringLower(SHA256.HashData(stream))}";
                },
                StringComparer.Ordinal);

    /// <summary>Runs <paramref name="action"/> and asserts every tree in <paramref name="roots"/> is byte-for-byte unchanged.</summary>
    public static T Unchanged<T>(Func<T> action, params string[] roots)
    {
        var before = roots.Select(Fingerprint).ToList();
        var result = action();
        for (var i = 0; i < roots.Length; i++)
        {
            var after = Fingerprint(roots[i]);
            Assert.True(before[i].Count > 0, $"{roots[i]} holds no files: the check would prove nothing");
            Assert.Equal(before[i], after);
        }
        return result;
    }
}
