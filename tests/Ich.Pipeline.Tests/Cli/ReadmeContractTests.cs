using System.Text.RegularExpressions;
using Ich.Cli;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// The README is the front door: its two set-up commands are what CI runs (.ci/run), and its exit-code table is
/// the one the CLI prints. These tests read both files as a user would and fail when they drift apart.
/// </summary>
public sealed class ReadmeContractTests
{
    private static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
    private static string CiRun => File.ReadAllText(Path.Combine(RepoPaths.Root, ".ci", "run"));

    /// <summary>The commands of the fenced block under "## Set up", without their trailing comments.</summary>
    private static List<string> ReadmeSetupCommands()
    {
        var section = Regex.Match(Readme, @"^## Set up.*?^```sh\n(?<block>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(section.Success, "README.md has no ```sh block under '## Set up'");
        return section.Groups["block"].Value.Split('\n')
            .Select(line => Regex.Replace(line, @"\s+#.*$", "").Trim())
            .Where(line => line.Length > 0)
            .ToList();
    }

    private static string CiVariable(string name)
    {
        var match = Regex.Match(CiRun, $@"^{name}='(?<value>[^']*)'$", RegexOptions.Multiline);
        Assert.True(match.Success, $".ci/run defines no {name}='...'");
        return match.Groups["value"].Value;
    }

    [Fact]
    public void SetupCommands_AreExactlyTheTwoThatCiRuns()
    {
        var readme = ReadmeSetupCommands();

        Assert.Equal(new[] { CiVariable("MAIN_COMMAND"), CiVariable("TEST_COMMAND") }, readme);
        // .ci/run must execute both variables, the main command first.
        var mainRun = CiRun.IndexOf("bash -c \"$MAIN_COMMAND\"", StringComparison.Ordinal);
        var testRun = CiRun.IndexOf("bash -c \"$TEST_COMMAND\"", StringComparison.Ordinal);
        Assert.True(mainRun > 0 && testRun > mainRun, ".ci/run must run $MAIN_COMMAND and then $TEST_COMMAND");
        Assert.Contains($"--out {CiVariable("MAIN_OUTPUT")}", CiVariable("MAIN_COMMAND"), StringComparison.Ordinal);
    }

    [Fact]
    public void ExitCodeTable_InReadme_EqualsTheTableTheCliPrints()
    {
        var rows = Regex.Matches(Readme, @"^\| `(?<code>\d+)` \| (?<meaning>[^|]+?) \|$", RegexOptions.Multiline)
            .Select(m => (int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["meaning"].Value.Trim()))
            .ToList();

        Assert.Equal(ExitCodes.HelpTable.ToList(), rows);
    }
}
