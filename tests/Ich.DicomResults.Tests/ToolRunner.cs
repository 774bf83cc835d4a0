using System.Diagnostics;
using System.Text.Json;
using Ich.TestKit;

namespace Ich.DicomResults.Tests;

/// <summary>
/// Runs the independent checkers (dciodvfy, dsrdump, Debian pydicom) with a time limit; each Require*
/// skips the calling test by name when the tool is missing (it is installed here and in CI).
/// </summary>
public static class ToolRunner
{
    public const string PythonPath = "/usr/bin/python3";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static void Require(string tool, string package) =>
        Skip.If(FindOnPath(tool) is null, $"skipped: {tool} not installed (apt-get install -y {package}; .ci/run installs it)");

    public static void RequirePydicom()
    {
        var ok = File.Exists(PythonPath) && Run(PythonPath, ["-c", "import pydicom, numpy"]).ExitCode == 0;
        Skip.IfNot(ok, "skipped: /usr/bin/python3 with python3-pydicom and python3-numpy not installed (.ci/run installs them)");
    }

    /// <summary>Exit code, stdout and stderr of a tool; kills it (by its own process) after the limit.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Limit))
        {
            p.Kill();
            throw new TimeoutException($"{exe} did not finish within {Limit.TotalSeconds} s");
        }
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>dciodvfy's exit code, its "Error" lines and its "Warning" lines.</summary>
    public static (int ExitCode, string[] Errors, string[] Warnings) Dciodvfy(string file)
    {
        var r = Run("dciodvfy", [file]);
        var lines = (r.Stdout + r.Stderr).Split('\n');
        return (r.ExitCode, lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToArray(),
            lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).ToArray());
    }

    /// <summary>One JSON object per file from tools/dicomresults/inspect_results.py.</summary>
    public static List<JsonElement> Inspect(IEnumerable<string> files)
    {
        var script = Path.Combine(RepoPaths.Root, "tools", "dicomresults", "inspect_results.py");
        var r = Run(PythonPath, [script, .. files]);
        if (r.ExitCode != 0) throw new InvalidOperationException("inspect_results.py failed: " + r.Stderr);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    /// <summary>Raw value bytes (hex) of the identity attributes of source files, as pydicom reads them.</summary>
    public static JsonElement RawIdentity(string file) => Inspect([file])[0].GetProperty("raw");
}
