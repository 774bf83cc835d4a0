using Ich.Cli;
using Ich.TestKit;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>One exit-code table for every verb (<see cref="ExitCodes"/>), and one line per failure, never a stack trace.</summary>
[Collection(CliCollection.Name)]
public sealed class ExitCodeTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void MissingRequiredOption_IsAUsageError_NotSomeItemsFailed()
    {
        var run = CliRun.Ich("predict", "samples/phantom-study");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--out", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVerb_IsAUsageError()
    {
        var run = CliRun.Ich("no-such-verb");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("no-such-verb", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictIntoAnExistingFile_OneLineNamingThePath_UsageCode_BeforeAnyWork()
    {
        var dir = RepoPaths.NewTempDir();
        var file = Path.Combine(dir, "README.md");
        File.WriteAllText(file, "a user's file");

        var run = CliRun.Ich("predict", Path.Combine(RepoPaths.Root, "samples", "phantom-study"), "--out", file, "--gradcam", "none");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        var line = Assert.Single(Lines(run.Stderr));
        Assert.Contains(file, line, StringComparison.Ordinal);
        Assert.Equal("a user's file", File.ReadAllText(file));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void UnexpectedException_OneLineNamingALogFile_ThatHoldsTheStackTrace()
    {
        var logs = RepoPaths.NewTempDir();
        var saved = (Console.Error, Environment.GetEnvironmentVariable("ICH_LOG_DIR"));
        using var stderr = new StringWriter();
        Console.SetError(stderr);
        Environment.SetEnvironmentVariable("ICH_LOG_DIR", logs);
        int code;
        try
        {
            code = Program.Report("predict", Thrown(new InvalidOperationException("boom\nsecond line")));
        }
        finally
        {
            Console.SetError(saved.Item1);
            Environment.SetEnvironmentVariable("ICH_LOG_DIR", saved.Item2);
        }

        Assert.Equal(ExitCodes.InternalError, code);
        var line = Assert.Single(Lines(stderr.ToString()));
        var log = Assert.Single(Directory.GetFiles(logs));
        Assert.Contains(log, line, StringComparison.Ordinal);
        Assert.DoesNotContain("second line", line, StringComparison.Ordinal);
        var text = File.ReadAllText(log);
        Assert.Contains("InvalidOperationException: boom", text, StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), text, StringComparison.Ordinal); // the stack trace is in the file
        Directory.Delete(logs, true);
    }

    [Fact]
    public void IchException_IsAUsageError_CancellationInterrupted_BrokenInstallationInternalWithALog()
    {
        var logs = RepoPaths.NewTempDir();
        var saved = Console.Error;
        using var stderr = new StringWriter();
        Console.SetError(stderr);
        Environment.SetEnvironmentVariable("ICH_LOG_DIR", logs);
        try
        {
            Assert.Equal(ExitCodes.UsageError, Program.Report("evaluate", new Ich.Core.Errors.ConfigException("bad", "/x/config.json")));
            Assert.Equal(ExitCodes.Interrupted, Program.Report("train", new OperationCanceledException()));
            Assert.Equal(ExitCodes.InternalError, Program.Report("train", new Ich.Core.Errors.InstallationException("libtorch does not load")));
        }
        finally
        {
            Console.SetError(saved);
            Environment.SetEnvironmentVariable("ICH_LOG_DIR", null);
        }
        var lines = Lines(stderr.ToString());
        Assert.Equal(3, lines.Length);
        Assert.Equal("ich evaluate: /x/config.json: bad", lines[0]);
        Assert.Equal("ich train: interrupted", lines[1]);
        Assert.StartsWith("ich train: libtorch does not load; details in " + logs, lines[2], StringComparison.Ordinal);
        Directory.Delete(logs, true);
    }

    [Fact]
    public void Help_PrintsTheExitCodeTable()
    {
        var run = CliRun.Ich("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        foreach (var (code, meaning) in ExitCodes.HelpTable)
            Assert.Contains($"{code,3}  {meaning}", run.Stdout, StringComparison.Ordinal);
    }

    private static Exception Thrown(Exception e)
    {
        try { throw e; }
        catch (Exception caught) { return caught; }
    }
}
