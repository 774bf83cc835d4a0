using System.Runtime.CompilerServices;
using Ich.Model.Runtime;

// libtorch's intra-op thread pool is process-wide: two tests running torch at once can each get fewer
// threads than asked, which changes reduction order and breaks the bit-exact determinism tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Ich.Pipeline.Tests;

internal static class TorchSetup
{
    // Runs before any test in this assembly touches TorchSharp.
    [ModuleInitializer]
    internal static void Init() => TorchRuntime.Initialize(threads: 2);
}
