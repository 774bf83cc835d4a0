using System.Globalization;
using System.Text;

namespace Ich.Cli.Logging;

/// <summary>
/// The one format of the CLI's log lines: <c>HH:mm:ss </c> (UTC, when timestamps are on), then each scope as
/// <c>[name] </c>, then the message, e.g. <c>12:28:05 [resnet18] fold 0 epoch 1: train loss 0.4210, ...</c>.
/// No level word: a training run reads as before; warnings say what is wrong in their own text.
/// </summary>
public static class LogLine
{
    public static string Format(DateTimeOffset utc, bool timestamps, IEnumerable<object?> scopes, string message, Exception? exception)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var line = new StringBuilder();
        if (timestamps) line.Append(utc.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)).Append(' ');
        foreach (var scope in scopes)
            if (scope?.ToString() is { Length: > 0 } name) line.Append('[').Append(name).Append("] ");
        line.Append(message);
        if (exception is not null) line.Append(" (").Append(exception.GetType().Name).Append(": ").Append(exception.Message).Append(')');
        return line.ToString();
    }
}
