namespace Ich.Core.Errors;

/// <summary>
/// Root of every error the project raises for bad input. Each subtype names the file (and, where it
/// applies, the line or element) and the reason, so a batch can report it and go on.
/// </summary>
public abstract class IchException : Exception
{
    protected IchException(string message, string? path, Exception? inner = null)
        : base(path is null ? message : $"{path}: {message}", inner)
    {
        Path = path;
        Reason = message;
    }

    /// <summary>The file or folder the error is about, when there is one.</summary>
    public string? Path { get; }

    /// <summary>The reason alone, without the path prefix.</summary>
    public string Reason { get; }
}
