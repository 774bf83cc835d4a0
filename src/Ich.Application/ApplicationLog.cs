using Microsoft.Extensions.Logging;

namespace Ich.Application;

/// <summary>
/// The application layer's log lines (train-all stages, the held-out check). Messages are whole lines, as a
/// console shows them; the level says whether a line is progress or a problem the user should look at.
/// </summary>
internal static partial class ApplicationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Info(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Line}")]
    public static partial void Warning(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "model card: {Path}")]
    public static partial void ModelCardWritten(ILogger logger, string path);

    private static readonly Func<ILogger, string, IDisposable?> NamedScope = LoggerMessage.DefineScope<string>("{Part}");

    /// <summary>A scope naming the part of a run its lines come from (e.g. one backbone of train-all; a console shows it as "[name] ").</summary>
    public static IDisposable? Part(ILogger logger, string name) => NamedScope(logger, name);
}
