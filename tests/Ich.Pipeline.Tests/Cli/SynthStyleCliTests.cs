using Ich.Cli;
using Ich.Core.Text;
using Ich.Synth;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary><c>ich synth --style</c>: the flag reaches the generator, and a wrong value is a one-line usage error.</summary>
[Collection(CliCollection.Name)]
public sealed class SynthStyleCliTests
{
    [Fact]
    public void SynthStyleShifted_WritesTheShiftedScansOfTheLibrary()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir("ich-synth-style"), "out");
        try
        {
            var run = CliRun.Ich("synth", "--out", dir, "--scans", "2", "--seed", "12", "--size", "64", "--thickness", "5", "--style", "shifted");

            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
            var table = CsvTable.Read(Path.Combine(dir, "scans.csv"));
            var expected = Enumerable.Range(0, 2).Select(i => ScanPlanner.Plan(new SynthOptions { Seed = 12, Size = 64, ThicknessMm = 5, Style = PhantomStyle.Shifted }, i)).ToList();
            Assert.Equal(expected.Select(p => p.ScanId), table.Rows.Select(r => r[table.Require("scan_id")]));
            Assert.Equal(expected.Select(p => p.SeriesUid), table.Rows.Select(r => r[table.Require("series_uid")]));
            Assert.All(expected, p => Assert.True(Directory.Exists(Path.Combine(dir, p.ScanId)), p.ScanId));
        }
        finally { Directory.Delete(Path.GetDirectoryName(dir)!, true); }
    }

    [Fact]
    public void SynthLabelsVisible_WritesTheLibrarysVisibleLabels_AndRecordsTheRule()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir("ich-synth-labels"), "out");
        try
        {
            var run = CliRun.Ich("synth", "--out", dir, "--scans", "3", "--seed", "21", "--size", "128", "--thickness", "5", "--style", "shifted", "--labels", "visible");

            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
            var options = new SynthOptions { Seed = 21, Size = 128, ThicknessMm = 5, Style = PhantomStyle.Shifted, Labels = PhantomLabelRule.Visible };
            var expected = new StringWriter { NewLine = "\n" };
            foreach (var slice in Enumerable.Range(0, 3).SelectMany(i => PhantomGenerator.Labels(options, i).Slices)) PhantomGenerator.WriteLabelRows(expected, slice);
            Assert.Equal(expected.ToString(), string.Join("\n", File.ReadAllLines(Path.Combine(dir, "labels.csv")).Skip(1)) + "\n");
            Assert.Equal(PhantomLabelRule.Visible, Ich.Synth.Output.SynthSettingsFile.LabelRule(dir));
        }
        finally { Directory.Delete(Path.GetDirectoryName(dir)!, true); }
    }

    [Fact]
    public void SynthUnknownLabelRule_IsAUsageErrorNamingTheChoices()
    {
        var run = CliRun.Ich("synth", "--stats", "--scans", "1", "--size", "64", "--labels", "seen");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--labels must be geometric or visible, not 'seen'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SynthUnknownStyle_IsAUsageErrorNamingTheChoices()
    {
        var run = CliRun.Ich("synth", "--stats", "--scans", "1", "--size", "64", "--style", "wild");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--style must be one of standard, broad, shifted, not 'wild'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SynthShiftGroups_EmptyOrUnknown_IsAnErrorNamingIt()
    {
        var empty = CliRun.Ich("synth", "--stats", "--scans", "1", "--size", "64", "--style", "shifted", "--shift-groups", " , ");
        Assert.NotEqual(ExitCodes.Success, empty.ExitCode);
        Assert.Contains("--shift-groups names no group", empty.Stderr, StringComparison.Ordinal);

        var unknown = CliRun.Ich("synth", "--stats", "--scans", "1", "--size", "64", "--style", "shifted", "--shift-groups", "fov,colour");
        Assert.NotEqual(ExitCodes.Success, unknown.ExitCode);
        Assert.Contains("unknown shift group 'colour'", unknown.Stderr, StringComparison.Ordinal);
    }
}
