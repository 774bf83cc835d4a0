namespace Ich.Cli;

/// <summary>
/// Where an unexpected exception's stack trace goes: a user sees one line naming this file, never the trace.
/// Files live in <c>$ICH_LOG_DIR</c>, else <c>$XDG_STATE_HOME/ich/logs</c>, else <c>~/.local/state/ich/logs</c>.
/// </summary>
internal static class ErrorLog
{
    /// <summary>Writes the exception to a new log file and returns its path, or null (with the reason) when no file could be written.</summary>
    public static string? Write(string verb, Exception exception, out string? failure)
    {
        failure = null;
        try
        {
            var dir = Folder();
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"ich-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
            File.WriteAllText(path,
                $"ich {verb} failed at {DateTime.UtcNow:O}\nargs: {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}\n\n{exception}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = e.Message;
            return null;
        }
    }

    private static string Folder()
    {
        if (Environment.GetEnvironmentVariable("ICH_LOG_DIR") is { Length: > 0 } explicitDir) return explicitDir;
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
            state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "ich", "logs");
    }
}
