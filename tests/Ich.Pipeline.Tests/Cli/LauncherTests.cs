using System.Diagnostics;
using System.Xml.Linq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>The <c>./ich</c> launcher as a newcomer meets it: a checkout where nothing is built yet.</summary>
public sealed class LauncherTests
{
    [Fact]
    public void VersionBeforeTheFirstBuild_AnswersFromTheSourcesAtOnce_WithoutBuilding()
    {
        // A copy of the launcher and the version file, without src/ and artifacts/: a build would fail at once.
        var dir = RepoPaths.NewTempDir("ich-launcher");
        File.Copy(Path.Combine(RepoPaths.Root, "ich"), Path.Combine(dir, "ich"));
        File.Copy(Path.Combine(RepoPaths.Root, "Directory.Build.props"), Path.Combine(dir, "Directory.Build.props"));
        var version = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

        var info = new ProcessStartInfo("bash", [Path.Combine(dir, "ich"), "--version"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the launcher did not answer --version within 20 s");

        Assert.True(process.ExitCode == 0, stderr);
        Assert.StartsWith(version, stdout, StringComparison.Ordinal);
        Assert.Contains("not built yet", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "artifacts")), "the launcher started a build");
        Directory.Delete(dir, true);
    }
}
