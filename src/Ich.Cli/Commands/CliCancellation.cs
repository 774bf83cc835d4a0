using System.Runtime.InteropServices;

namespace Ich.Cli.Commands;

/// <summary>
/// The one way a verb learns that the user (Ctrl+C, SIGINT) or the system (SIGTERM: <c>kill</c>, a batch scheduler,
/// <c>systemctl stop</c>) wants it to stop: the first signal cancels <see cref="Token"/> and prints what the verb will
/// do (save its state, finish the current scan); a second one is left to the runtime and ends the process at once.
/// SIGTERM matters for long training started in the background, where the shell makes the job ignore SIGINT.
/// </summary>
public sealed class CliCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly string _message;
    private readonly ConsoleCancelEventHandler _onCancelKey;
    private readonly PosixSignalRegistration? _sigterm;

    /// <param name="message">One line saying what happens now, e.g. "interrupt: saving state after the current batch".</param>
    public CliCancellation(string message)
    {
        _message = message;
        _onCancelKey = (_, e) => e.Cancel = Request();
        Console.CancelKeyPress += _onCancelKey;
        // Not every platform can register SIGTERM; Ctrl+C still works there.
        try { _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = Request()); }
        catch (PlatformNotSupportedException) { _sigterm = null; }
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True (keep running, stop gracefully) on the first request; false on the next, which ends the process.</summary>
    private bool Request()
    {
        lock (_source)
        {
            if (_source.IsCancellationRequested) return false;
            Console.Error.WriteLine($"{_message} (again to abort)");
            _source.Cancel();
            return true;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= _onCancelKey;
        _sigterm?.Dispose();
        _source.Dispose();
    }
}
