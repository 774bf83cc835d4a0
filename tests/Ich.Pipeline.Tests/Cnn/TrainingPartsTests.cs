using Ich.Training;
using Ich.Training.Cnn;
using static TorchSharp.torch;

namespace Ich.Pipeline.Tests.Cnn;

public class TrainingPartsTests
{
    [Fact]
    public void Train_FlipOnlyFullCrop_EqualsMirroredImage()
    {
        var cfg = new AugmentConfig { CropMin = 1, CropMax = 1, AffineP = 0, HFlipP = 1, ErasingP = 0 };
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 2, 3, 16, 16 }, generator: new Generator(3));
        var y = Augmenter.Train(x, cfg, new Random(1));
        Assert.True((y - x.flip(3)).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void CenterCrop_HalfSide_SamplesTheCentre()
    {
        using var scope = NewDisposeScope();
        // A horizontal ramp x/15 over 16 pixels: the central half, resized back to 16, spans [~0.25, ~0.75].
        var ramp = arange(16, dtype: float32).div(15).view(1, 1, 1, 16).expand(1, 3, 16, 16).contiguous();
        var y = Augmenter.CenterCrop(ramp, 0.5);
        // Output pixel j samples input x = 0.5·(j + 0.5) + 3.5 (align_corners = false) → value x/15.
        for (var j = 0; j < 16; j++)
            Assert.Equal((0.5 * (j + 0.5) + 3.5) / 15, y[0, 0, 8, j].item<float>(), 4);
    }

    [Fact]
    public void LrSchedule_CosineAndWarmRestarts_HandValues()
    {
        var cos = new CnnTrainConfig { Lr = 5e-4, MinLr = 1e-5, Epochs = 10, Schedule = "cosine" };
        Assert.Equal(5e-4, LrSchedule.At(cos, 0), 12);
        Assert.Equal(1e-5 + 0.5 * 4.9e-4, LrSchedule.At(cos, 5), 12);
        Assert.Equal(1e-5, LrSchedule.At(cos, 10), 12);
        var sgdr = cos with { Schedule = "warm-restarts", RestartPeriod = 2, RestartMult = 2, ConstantEpochs = 1 };
        Assert.Equal(5e-4, LrSchedule.At(sgdr, 0.5), 12);   // constant phase
        Assert.Equal(5e-4, LrSchedule.At(sgdr, 3), 12);     // restart after the first 2-epoch cycle
        Assert.Equal(1e-5 + 0.5 * 4.9e-4, LrSchedule.At(sgdr, 5), 12); // middle of the 4-epoch cycle
    }

    [Fact]
    public void TriangularSlice_TenSlices_NeverDrawsLastAndFavoursCentre()
    {
        var rng = new Random(4);
        var counts = new int[10];
        for (var i = 0; i < 20000; i++) counts[EpochSampler.TriangularSlice(rng, 10)]++;
        Assert.Equal(0, counts[9]);
        // weights over 9 slices: i=0..5 → max(1, i/4) = 1,1,1,1,1,1; i=6..8 → max(1,(10-i)/4) = 1,1,1 → uniform here.
        Assert.All(counts[..9], c => Assert.InRange(c, 1900, 2550));
    }

    [Fact]
    public void PatientFolds_SamePatientTwoScans_SameFold()
    {
        var scans = TinyScans.Make(6, 2);
        scans.Add(scans[0] with { ScanId = "second-scan-of-P00" });
        var folds = PatientFolds.Assign(scans, 3, 9);
        Assert.Equal(folds[0], folds[^1]);
        Assert.Equal(3, folds.Distinct().Count());
    }
}
