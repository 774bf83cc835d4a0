using System.Diagnostics;
using Ich.Build;
using Ich.TestKit;

namespace Ich.Pipeline.Tests;

/// <summary>
/// An installed ich (a container image, a system package) lives on a read-only file system. The libtorch shim
/// is patched at build time (Directory.Build.targets), so loading libtorch writes nothing into the application
/// folder. These tests run the built CLI from a read-only bind mount of its own folder in a private mount
/// namespace (root only: CI runs as root), which is exactly what a read-only install looks like to the process.
/// </summary>
public sealed class ReadOnlyInstallTests
{
    private static string CliFolder => Path.Combine(RepoPaths.Root, "artifacts", "bin", "Ich.Cli", "Release", "net10.0");

    [SkippableFact]
    public void VersionTorch_FromAReadOnlyInstall_LoadsLibtorch()
    {
        var run = InReadOnlyMount($"touch \"$B/probe\" 2>/dev/null && echo WRITABLE; dotnet \"$B/ich.dll\" version --torch");

        Assert.True(run.Code == 0, run.Stdout + run.Stderr);
        Assert.DoesNotContain("WRITABLE", run.Stdout, StringComparison.Ordinal); // the mount really is read-only
        Assert.Contains("libtorch 2.", run.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void VersionTorch_WithAnUnpatchedShim_FailsWithOneLineAndTheInstallationCode()
    {
        var original = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibTorchSharpShim.FileName);
        Skip.IfNot(File.Exists(original), "skipped: NuGet cache copy of libLibTorchSharp.so not found");
        Skip.IfNot(LibTorchSharpShim.NeedsPatch(original), "skipped: this TorchSharp build needs no patch, so nothing can fail");

        // Every copy (TorchSharp also probes a cpu/ folder when it finds one) gets the unpatched bytes.
        var mounts = string.Concat(Directory.GetFiles(CliFolder, LibTorchSharpShim.FileName, SearchOption.AllDirectories)
            .Select(shim => $"mount --bind \"{original}\" \"{shim}\"; "));
        var logs = RepoPaths.NewTempDir();
        var run = InReadOnlyMount($"{mounts}ICH_LOG_DIR=\"{logs}\" dotnet \"$B/ich.dll\" version --torch");

        Assert.Equal(Ich.Cli.ExitCodes.InternalError, run.Code);
        // stdout: the version line only (TorchSharp's load trace is kept out of it); stderr: one line naming the log.
        Assert.Matches(@"^ich \S+\n$", run.Stdout);
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("libtorch does not load", line, StringComparison.Ordinal);
        var log = Assert.Single(Directory.GetFiles(logs));
        Assert.Contains(log, line, StringComparison.Ordinal);
        Assert.Contains("TorchSharp's load trace", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(CliFolder, "cpu")), "TorchSharp's fallback must not have written into the install");
        Directory.Delete(logs, true);
    }

    private static (int Code, string Stdout, string Stderr) InReadOnlyMount(string script)
    {
        Skip.IfNot(Environment.UserName == "root", "skipped: a read-only bind mount needs root (CI runs as root)");
        Skip.IfNot(File.Exists(Path.Combine(CliFolder, "ich.dll")), $"skipped: the CLI is not built at {CliFolder}");
        var info = new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "bash", "-c",
            $"set -e; mount --bind \"$B\" \"$B\"; mount -o remount,bind,ro \"$B\"; {script}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["B"] = CliFolder;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("ich did not finish within 120 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
