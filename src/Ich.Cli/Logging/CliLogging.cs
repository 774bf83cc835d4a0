using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Ich.Cli.Logging;

/// <summary>
/// The verbs' logger factory. The libraries log through <see cref="ILogger"/> (a host such as <c>ich serve</c>
/// plugs in its own logging); the CLI prints each line at once through Spectre.Console, formatted by
/// <see cref="LogLine"/>. Why not the Microsoft console logger: it writes from a background queue, so its lines
/// would tear Spectre's live progress bars and could arrive after the verb's own closing lines.
/// </summary>
public static class CliLogging
{
    /// <summary>A factory printing Information and above; <paramref name="timestamps"/> prefixes the UTC time of day.</summary>
    public static ILoggerFactory Create(bool timestamps) =>
        LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new ConsoleLineLoggerProvider(timestamps, TimeProvider.System)));
}

/// <summary>Loggers that write one <see cref="LogLine"/> per message to <see cref="AnsiConsole"/>, synchronously.</summary>
internal sealed class ConsoleLineLoggerProvider(bool timestamps, TimeProvider clock) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private bool Timestamps => timestamps;
    private TimeProvider Clock => clock;

    public ILogger CreateLogger(string categoryName) => new ConsoleLineLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class ConsoleLineLogger(ConsoleLineLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel)) return;
            var scopes = new List<object?>();
            provider._scopes.ForEachScope((scope, list) => list.Add(scope), scopes);
            AnsiConsole.WriteLine(LogLine.Format(provider.Clock.GetUtcNow(), provider.Timestamps, scopes, formatter(state, exception), exception));
        }
    }
}
