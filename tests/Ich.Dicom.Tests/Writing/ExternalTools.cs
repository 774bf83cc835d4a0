using System.Diagnostics;
using System.Text.Json;
using Ich.TestKit;

namespace Ich.Dicom.Tests.Writing;

/// <summary>
/// Runs the independent validators of written files: dciodvfy (dicom3tools) and Debian's pydicom via
/// tools/synth/pydicom_dump.py. Each test skips by name when its tool is not installed.
/// </summary>
public static class ExternalTools
{
    public const string PythonPath = "/usr/bin/python3";

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static void RequireDciodvfy() =>
        Skip.If(FindOnPath("dciodvfy") is null, "skipped: dciodvfy not installed (apt-get install -y dicom3tools; .ci/run installs it)");

    public static void RequirePydicom()
    {
        var ok = File.Exists(PythonPath) && Run(PythonPath, ["-c", "import pydicom, numpy"]).ExitCode == 0;
        Skip.IfNot(ok, "skipped: /usr/bin/python3 with python3-pydicom and python3-numpy not installed (.ci/run installs them)");
    }

    /// <summary>dciodvfy's exit code and its lines that report errors.</summary>
    public static (int ExitCode, string[] Errors, string Output) Dciodvfy(string file)
    {
        var r = Run("dciodvfy", [file]);
        var errors = r.Output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToArray();
        return (r.ExitCode, errors, r.Output);
    }

    /// <summary>One parsed JSON object per file from tools/synth/pydicom_dump.py.</summary>
    public static List<JsonElement> PydicomDump(IEnumerable<string> files)
    {
        var script = Path.Combine(RepoPaths.Root, "tools", "synth", "pydicom_dump.py");
        var r = Run(PythonPath, [script, .. files]);
        if (r.ExitCode != 0) throw new InvalidOperationException("pydicom_dump failed: " + r.Output);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static (int ExitCode, string Output, string Stdout) Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        var stdout = stdoutTask.Result;
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr, stdout);
    }
}
