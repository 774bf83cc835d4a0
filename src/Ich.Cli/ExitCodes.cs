namespace Ich.Cli;

/// <summary>The exit codes of every <c>ich</c> verb (one table, shown in <c>ich --help</c> and the README).</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;
    /// <summary>A batch verb finished but some items (scans, files) failed; each is reported.</summary>
    public const int SomeFailed = 1;
    /// <summary>Bad options, configuration, model folder or output folder: nothing was done.</summary>
    public const int Usage = 2;
    /// <summary>An unexpected error (a bug): one line on stderr, the stack trace in a log file.</summary>
    public const int Internal = 3;
    /// <summary>Stopped by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
