using System.Text.RegularExpressions;
using System.Xml.Linq;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary><c>ich version [--torch]</c>: the build version, and with --torch the libtorch this build ships.</summary>
[Collection(CliCollection.Name)]
public sealed class VersionTests
{
    [Fact]
    public void VersionTorch_LoadsLibtorch_PrintsTheVersionOfTheReferencedLibtorchPackage()
    {
        // Independent reference: the libtorch package version pinned in Directory.Packages.props.
        var pinned = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "libtorch-cpu-linux-x64")
            .Attribute("Version")!.Value;

        var run = CliRun.Ich("version", "--torch");

        Assert.True(run.ExitCode == 0, run.ToString());
        var match = Regex.Match(run.Stdout, @"^libtorch (\S+)", RegexOptions.Multiline);
        Assert.True(match.Success, run.ToString());
        var printed = match.Groups[1].Value.TrimEnd(',');
        Assert.True(printed == pinned || printed.StartsWith(pinned + ".", StringComparison.Ordinal) || printed.StartsWith(pinned + "+", StringComparison.Ordinal),
            $"printed libtorch {printed}, the build references libtorch {pinned}");
    }

    [Fact]
    public void Version_WithoutTorch_PrintsTheAssemblyVersion()
    {
        var run = CliRun.Ich("version");

        Assert.True(run.ExitCode == 0, run.ToString());
        var version = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        Assert.Matches($@"^ich {Regex.Escape(version)}(\+[0-9a-f]+)?\n", run.Stdout);
        Assert.DoesNotContain("libtorch", run.Stdout);
    }
}
