namespace Ich.Cli;

/// <summary>
/// The exit codes of every verb (and of the <c>./ich</c> launcher), one table for all; README.md and
/// <c>ich --help</c> print the same table (<see cref="HelpTable"/>), and a test keeps them equal.
/// </summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>A batch verb finished, but some items (scans, files) failed; each is reported by name.</summary>
    public const int SomeItemsFailed = 1;

    /// <summary>Bad options, a bad configuration, or an input or output path that cannot be used. Nothing was done.</summary>
    public const int UsageError = 2;

    /// <summary>An unexpected error inside ich, or a broken installation (launcher build failure, native library). The log file holds the details.</summary>
    public const int InternalError = 3;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM (<see cref="Commands.CliCancellation"/>); resumable verbs continue from where they stopped.</summary>
    public const int Interrupted = 130;

    /// <summary>The table as printed by <c>ich --help</c> and in README.md.</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> HelpTable =
    [
        (Success, "success"),
        (SomeItemsFailed, "some items failed (batch verbs; each failure is reported)"),
        (UsageError, "usage, configuration or input/output path error (nothing was done)"),
        (InternalError, "internal error or broken installation (a log file holds the details)"),
        (Interrupted, "interrupted (Ctrl+C or SIGTERM)"),
    ];
}
