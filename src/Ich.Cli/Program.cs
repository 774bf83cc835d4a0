using System.CommandLine;
using System.Text;
using Ich.Cli.Commands;
using Ich.Core.Errors;

namespace Ich.Cli;

/// <summary>
/// Entry point of <c>ich</c>: registers one verb per pipeline stage (each lives in Commands/) and owns the one
/// mapping from failures to exit codes (<see cref="ExitCodes"/>): whatever a verb lets escape becomes one line on
/// stderr, and an unexpected exception also a log file with its stack trace.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand(Description());
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"ich: {error.Message}");
            Console.Error.WriteLine($"ich: see '{UsageHint(parse)} --help'");
            return ExitCodes.UsageError;
        }
        var verb = parse.CommandResult.Command.Name;
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(verb, e);
        }
    }

    /// <summary>One line for the user; the exit code of the failure's kind.</summary>
    public static int Report(string verb, Exception e)
    {
        switch (e)
        {
            case OperationCanceledException:
                Console.Error.WriteLine($"ich {verb}: interrupted");
                return ExitCodes.Interrupted;
            case InstallationException installation:
                Console.Error.WriteLine($"ich {verb}: {installation.Message}{LogReference(verb, e)}");
                return ExitCodes.InternalError;
            case IchException user:
                Console.Error.WriteLine($"ich {verb}: {user.Message}");
                return ExitCodes.UsageError;
            case IOException or UnauthorizedAccessException:
                // The runtime's I/O messages name the path ("Could not find a part of the path '/x'", "Access to the path ... is denied").
                Console.Error.WriteLine($"ich {verb}: {e.Message}");
                return ExitCodes.UsageError;
            default:
                Console.Error.WriteLine($"ich {verb}: internal error ({e.GetType().Name}: {FirstLine(e.Message)}){LogReference(verb, e)}");
                return ExitCodes.InternalError;
        }
    }

    /// <summary>Writes the full exception to a log file; "; details in PATH" (or why no file could be written).</summary>
    private static string LogReference(string verb, Exception e) =>
        ErrorLog.Write(verb, e, out var failure) is { } log ? $"; details in {log}" : $"; no log file could be written ({failure})";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string UsageHint(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? "ich" : result.Command.Name);
        return string.Join(' ', names);
    }

    private static string Description()
    {
        var text = new StringBuilder("ich — acute intracranial hemorrhage detection on head CT (Wang et al. 2021, RSNA 2019 1st place), in .NET\n\nExit codes (every verb):\n");
        foreach (var (code, meaning) in ExitCodes.HelpTable) text.Append($"  {code,3}  {meaning}\n");
        return text.ToString().TrimEnd();
    }
}
