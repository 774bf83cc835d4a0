using Ich.Application.Prediction;
using Ich.Core.Errors;
using Ich.Build;
using Ich.Model.Runtime;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Matmul_OnCpu_GivesExactSum()
    {
        using var a = ones(3, 4);
        using var b = ones(4, 2);
        using var c = a.matmul(b);
        Assert.Equal(24f, c.sum().item<float>());
    }

    [Fact]
    public void Shim_InOutputFolder_IsPatchedAndPatchIsIdempotent()
    {
        var shims = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(shims);
        foreach (var shim in shims)
        {
            Assert.False(LibTorchSharpShim.NeedsPatch(shim));
            Assert.NotEqual(LibTorchSharpShim.PatchResult.Patched, LibTorchSharpShim.PatchFile(shim));
        }
    }

    [SkippableFact]
    public void PatchFile_OnUnpatchedCopy_SetsWeakFlagOnlyOnce()
    {
        var (dir, copy) = UnpatchedShimCopy();
        var before = File.ReadAllBytes(copy);
        Skip.IfNot(LibTorchSharpShim.NeedsPatch(copy), "skipped: this TorchSharp build has no GLIBCXX_3.4.32 need");
        Assert.Equal(LibTorchSharpShim.PatchResult.Patched, LibTorchSharpShim.PatchFile(copy));
        Assert.Equal(LibTorchSharpShim.PatchResult.AlreadyWeak, LibTorchSharpShim.PatchFile(copy));
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(1, before.Zip(after).Count(p => p.First != p.Second));
        Directory.Delete(dir, true);
    }

    [SkippableFact]
    public void PatchFile_ManyConcurrentCallers_AllSucceedAndLeaveOneWeakCopy()
    {
        var (dir, copy) = UnpatchedShimCopy();
        Skip.IfNot(LibTorchSharpShim.NeedsPatch(copy), "skipped: this TorchSharp build has no GLIBCXX_3.4.32 need");

        // Two training processes started together used to collide on one temporary file name.
        var results = Enumerable.Range(0, 6).AsParallel().WithDegreeOfParallelism(6)
            .Select(_ => LibTorchSharpShim.PatchFile(copy)).ToList();

        Assert.Contains(LibTorchSharpShim.PatchResult.Patched, results);
        Assert.False(LibTorchSharpShim.NeedsPatch(copy));
        Assert.Equal(new[] { "libLibTorchSharp.so" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        Directory.Delete(dir, true);
    }

    /// <summary>A fresh temporary copy of the shim as NuGet ships it (skips the test when the cache lacks it).</summary>
    private static (string Dir, string Copy) UnpatchedShimCopy()
    {
        var cached = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                                  ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(File.Exists(cached), "skipped: NuGet cache copy of libLibTorchSharp.so not found");
        var dir = Ich.TestKit.RepoPaths.NewTempDir();
        var copy = Path.Combine(dir, "libLibTorchSharp.so");
        File.Copy(cached, copy);
        return (dir, copy);
    }

    [SkippableFact]
    public void ResolveDevice_Cuda_WithoutGpu_FailsClearly()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "a GPU is present");
        var ex = Assert.Throws<ConfigException>(() => TorchRuntime.ResolveDevice("cuda"));
        Assert.Contains("CUDA is not available", ex.Message);
    }
}

public class NativeRetryTests
{
    [Fact]
    public void Run_TwoNativeErrorsThenSuccess_ReturnsTheResultAndReportsEachRetry()
    {
        var calls = 0;
        var log = new List<string>();
        var result = NativeRetry.Run("unit", () => ++calls < 3 ? throw new System.Runtime.InteropServices.ExternalException("alpha check\nframe #0") : 42, new ActionLogger(log.Add));
        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        Assert.Equal(2, log.Count);
        Assert.All(log, l => Assert.Contains("unit: libtorch error (alpha check)", l));
    }

    [Fact]
    public void Run_NativeErrorEveryTime_PropagatesAfterTheLastAttempt()
    {
        var calls = 0;
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() =>
            NativeRetry.Run<int>("unit", () => { calls++; throw new System.Runtime.InteropServices.ExternalException("boom"); }, null, attempts: 3));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void Run_OtherException_IsNotRetried()
    {
        var calls = 0;
        Assert.Throws<ConfigException>(() => NativeRetry.Run<int>("unit", () => { calls++; throw new ConfigException("bad"); }, null));
        Assert.Equal(1, calls);
    }
}
