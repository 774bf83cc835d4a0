using System.Runtime.CompilerServices;
using Ich.Model.Runtime;

namespace Ich.Pipeline.Tests;

internal static class TorchSetup
{
    // Runs before any test in this assembly touches TorchSharp.
    [ModuleInitializer]
    internal static void Init() => TorchRuntime.Initialize(threads: 2);
}
