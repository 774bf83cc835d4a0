using System.Diagnostics;
using System.Text;
using Ich.Cli;
using Ich.TestKit;
using Ich.TestKit.Serve;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>
/// Long training started in the background ignores SIGINT (the shell's rule for background jobs), so
/// <c>kill</c> (SIGTERM) is how a user or a scheduler stops it: the real CLI process must then save its state
/// after the current batch and exit with the "interrupted" code, resumable, instead of dying mid-epoch.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SigtermTests
{
    [Fact]
    public void TrainCnn_Sigterm_SavesStateAndExitsInterrupted()
    {
        var dir = RepoPaths.NewTempDir("ich-sigterm");
        var phantoms = Path.Combine(dir, "phantoms");
        Assert.Equal(ExitCodes.Success, CliRun.Ich("synth", "--out", phantoms, "--scans", "4", "--seed", "3", "--size", "64").ExitCode);
        var config = Path.Combine(dir, "cnn.json");
        File.WriteAllText(config, $$"""
            { "backbone": "small", "imageSize": 32, "batchSize": 4, "epochs": 500, "folds": 2, "seed": 1,
              "datasets": [ { "kind": "phantom", "path": "{{phantoms.Replace("\\", "/")}}" } ] }
            """);
        var run = Path.Combine(dir, "run");
        try
        {
            var log = Path.Combine(run, "log.txt");
            var (exitCode, output) = RunAndTerminate(["train", "cnn", "--config", config, "--out", run, "--threads", "1"],
                () => File.Exists(log) && File.ReadAllText(log).Contains("fold 0 epoch 1:", StringComparison.Ordinal));
            Assert.Equal(ExitCodes.Interrupted, exitCode);
            Assert.Contains("ich train cnn --resume", output, StringComparison.Ordinal);
            Assert.Contains("interrupted at epoch", File.ReadAllText(log), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(run, "fold0", "state.json")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Every long verb stops the same way (<c>CliCancellation</c>): synth keeps the scans it finished, listed.</summary>
    [Fact]
    public void Synth_Sigterm_StopsWithTheFinishedScansListed()
    {
        var dir = RepoPaths.NewTempDir("ich-sigterm-synth");
        var phantoms = Path.Combine(dir, "phantoms");
        try
        {
            var scansCsv = Path.Combine(phantoms, "scans.csv");
            var (exitCode, output) = RunAndTerminate(["synth", "--out", phantoms, "--scans", "400", "--seed", "5", "--size", "256"],
                () => File.Exists(scansCsv) && File.ReadAllLines(scansCsv).Length >= 2);
            Assert.Equal(ExitCodes.Interrupted, exitCode);
            Assert.Contains("ich synth: interrupted", output, StringComparison.Ordinal);
            var listed = File.ReadAllLines(scansCsv).Length - 1;
            Assert.InRange(listed, 1, 399);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Starts the real CLI, waits (at most 180 s) until <paramref name="ready"/>, sends SIGTERM and waits (at most 60 s) for the exit.</summary>
    private static (int ExitCode, string Output) RunAndTerminate(string[] arguments, Func<bool> ready)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServeLaunch.CliDll);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var output = new StringBuilder();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(180);
            while (!ready())
            {
                Assert.False(process.HasExited, $"the command ended before it could be interrupted:\n{output}");
                Assert.True(DateTime.UtcNow < deadline, $"not ready to interrupt within 180 s:\n{output}");
                Thread.Sleep(200);
            }
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                kill.WaitForExit();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), $"still running 60 s after SIGTERM:\n{output}");
            process.WaitForExit(); // drains the redirected output
            lock (output) return (process.ExitCode, output.ToString());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
