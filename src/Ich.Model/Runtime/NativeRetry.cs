using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Ich.Model.Runtime;

/// <summary>
/// Reruns a deterministic unit of training when libtorch reports a native error.
/// <para>
/// TorchSharp 0.107 passes numbers to libtorch as <c>Scalar</c> objects that only a finalizer frees. When a
/// temporary one (made by TorchSharp itself, e.g. inside BatchNorm or Adam) becomes unreachable while its native
/// call is still running, a garbage collection at that moment lets the finalizer free it mid-call; libtorch then
/// reads freed memory and throws errors such as "argument alpha must not be a floating point number" or a failed
/// <c>toDouble</c> check. It is rare (about once per tens of thousands of training steps here) and not caused by the
/// data. The units passed here are pure functions of their seed (a sequence fold from its seed, a CNN run resumed
/// exactly from its last saved epoch), so rerunning one gives exactly the result an undisturbed run would have.
/// Every retry is logged as a warning; after <paramref name="attempts"/> failures the error propagates.
/// </para>
/// </summary>
public static partial class NativeRetry
{
    /// <summary>Runs <paramref name="unit"/>, rerunning it after an <see cref="ExternalException"/> from libtorch.</summary>
    public static T Run<T>(string what, Func<T> unit, ILogger? log, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return unit(); }
            catch (ExternalException e) when (attempt < attempts)
            {
                if (log is not null) Retrying(log, what, e.Message.Split('\n')[0], attempt + 1, attempts);
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What}: libtorch error ({Error}); rerunning it (attempt {Attempt} of {Attempts}), see docs/training.md")]
    private static partial void Retrying(ILogger logger, string what, string error, int attempt, int attempts);
}
