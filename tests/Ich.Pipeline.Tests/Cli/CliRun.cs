using System.Text.Json;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Ich.Pipeline.Tests.Cli;

/// <summary>What one in-process run of <c>ich</c> returned and printed.</summary>
internal sealed record CliResult(string[] Args, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Non-empty stdout lines, each parsed as one JSON object (JSON Lines).</summary>
    public IReadOnlyList<JsonElement> JsonLines() =>
        Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line =>
            {
                try { return JsonDocument.Parse(line).RootElement.Clone(); }
                catch (JsonException e) { throw new Xunit.Sdk.XunitException($"stdout line is not JSON ({e.Message}): {line}\n{this}"); }
            })
            .ToList();

    public override string ToString() =>
        $"ich {string.Join(' ', Args)}\nexit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real <c>ich</c> entry point (<see cref="Ich.Cli.Program.Main"/>) in this process with stdout and
/// stderr captured. Callers must be in <see cref="CliCollection"/> (the console is process-wide state).
/// </summary>
internal static class CliRun
{
    private static readonly object Gate = new();
    private static readonly Regex StackTraceLine = new(@"^\s+at [\w.`<>+]+\.[\w<>`]+\(", RegexOptions.Multiline);

    private static IAnsiConsole ConsoleOn(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    public static CliResult Ich(params string[] args)
    {
        lock (Gate)
        {
            var (savedOut, savedError) = (Console.Out, Console.Error);
            using var stdout = new StringWriter { NewLine = "\n" };
            using var stderr = new StringWriter { NewLine = "\n" };
            Console.SetOut(stdout);
            Console.SetError(stderr);
            // Spectre.Console keeps its own console bound to the writer it first saw: point it at the capture
            // for this run and back at the real console afterwards, or a later run writes to a disposed writer.
            AnsiConsole.Console = ConsoleOn(stdout);
            int code;
            try
            {
                code = global::Ich.Cli.Program.Main(args);
            }
            finally
            {
                Console.SetOut(savedOut);
                Console.SetError(savedError);
                AnsiConsole.Console = ConsoleOn(savedOut);
            }
            var result = new CliResult(args, code, stdout.ToString(), stderr.ToString());
            // System.CommandLine turns an escaped exception into exit code 1 plus a stack trace: never acceptable.
            Assert.False(StackTraceLine.IsMatch(result.Stderr) || StackTraceLine.IsMatch(result.Stdout),
                $"the verb crashed instead of reporting an error:\n{result}");
            return result;
        }
    }
}
