namespace Ich.Pipeline.Tests.Seq;

/// <summary>
/// Tests that seed libtorch's global generator (dropout masks, weight init) and compare bits must not
/// run beside other tests that draw from it; this collection runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchSerialCollection
{
    public const string Name = "torch-serial";
}
