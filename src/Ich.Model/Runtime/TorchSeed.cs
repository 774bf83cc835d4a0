namespace Ich.Model.Runtime;

/// <summary>
/// The one place libtorch's global generator is seeded. Called when a network is created with fresh
/// weights (<see cref="Cnn.CnnFactory.Create"/>, a sequence fold in training), so the same seed gives the same
/// initial weights and, on the CPU at a fixed thread count, the same training run. Inference draws no
/// random numbers (networks in eval mode, no augmentation), so its results do not depend on the generator.
/// </summary>
public static class TorchSeed
{
    /// <summary>Seeds libtorch's global generator (CPU, and CUDA when present).</summary>
    public static void Set(long seed)
    {
        TorchRuntime.Initialize();
        TorchSharp.torch.manual_seed(seed);
    }
}
