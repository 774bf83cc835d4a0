using Microsoft.Extensions.Logging;

namespace Ich.Serve.Work;

/// <summary>
/// Implemented by a study processor that logs: the processor is made before the host (so a bad model fails
/// before any port opens), and the host hands it the service's logging once built, so the processor's warnings
/// (skipped files, excluded slices, retries) go wherever the service's own log goes.
/// </summary>
public interface IUsesServiceLogging
{
    void UseLogging(ILoggerFactory loggers);
}
