using Microsoft.Extensions.Logging;

namespace Ich.Application.Prediction;

/// <summary>An <see cref="ILogger"/> that hands every formatted message of level Information or above to a callback (for hosts that print lines themselves).</summary>
public sealed class ActionLogger(Action<string> write) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel)) write(formatter(state, exception));
    }
}
