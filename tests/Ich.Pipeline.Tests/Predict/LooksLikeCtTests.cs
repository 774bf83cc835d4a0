using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Imaging;
using Ich.Inference.Pipeline;
using Ich.Model.Folder;
using Ich.Pipeline.Tests.Seq;

namespace Ich.Pipeline.Tests.Predict;

/// <summary>
/// The "is this CT in HU" guard is per scan: a few slices without air (a skull base filling the field of view, a
/// cropped export — real PhysioNet patient 081's lowest slice) are kept with a note; a series where most slices have no
/// air (MR, a secondary capture, a bad rescale) fails with a typed error naming the scan. Scans whose HU were rebuilt
/// from display windows (<see cref="HuSource.RebuiltFromDisplayWindows"/>) are not judged by their air.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class LooksLikeCtTests
{
    [Fact]
    public void Predict_OneSliceWithoutAir_KeptWithNote()
    {
        using var model = ModelBundle.Load(TinyModelFolder.Create());
        var prediction = new ScanPredictor(model, new PredictorOptions(8, GradCamMode.None)).Predict(Scan(withoutAir: 1));

        Assert.Equal(4 * 6, prediction.Probabilities.Length);
        Assert.Contains(prediction.Notes, n => n.Contains("1 slice(s) without air below -500 HU, kept (slice 0: minimum 30 HU)", StringComparison.Ordinal));
    }

    [Fact]
    public void Predict_MostSlicesWithoutAir_ModelInputExceptionNamingTheScan()
    {
        using var model = ModelBundle.Load(TinyModelFolder.Create());
        var e = Assert.Throws<ModelInputException>(() => new ScanPredictor(model, new PredictorOptions(8, GradCamMode.None)).Predict(Scan(withoutAir: 3)));

        Assert.Contains("scan not-ct does not look like CT in Hounsfield units: 3 of 4 slices have no air", e.Message);
    }

    [Fact]
    public void Predict_HuRebuiltFromDisplayWindows_WithoutAir_NotRefused()
    {
        // HU rebuilt from the PhysioNet JPG windows have a floor above −500 HU for some real patients (081).
        using var model = ModelBundle.Load(TinyModelFolder.Create());
        var rebuilt = Scan(withoutAir: 4) with { HuSource = HuSource.RebuiltFromDisplayWindows };
        var prediction = new ScanPredictor(model, new PredictorOptions(8, GradCamMode.None)).Predict(rebuilt);

        Assert.Equal(4 * 6, prediction.Probabilities.Length);
    }

    [Fact]
    public void Predict_SamePixelsWithStoredHu_RefusedWhateverTheDatasetName()
    {
        // The guard reads the scan's HU source, not its dataset name: a "physionet" scan with stored HU is checked.
        using var model = ModelBundle.Load(TinyModelFolder.Create());
        var stored = Scan(withoutAir: 4) with { Dataset = "physionet" };
        var e = Assert.Throws<ModelInputException>(() => new ScanPredictor(model, new PredictorOptions(8, GradCamMode.None)).Predict(stored));

        Assert.Equal(HuSource.Stored, stored.HuSource);
        Assert.Contains("does not look like CT in Hounsfield units: 4 of 4 slices have no air", e.Message);
    }

    /// <summary>Four 64×64 slices: brain (30 HU) inside a disc, air (−1000 HU) outside, except the first <paramref name="withoutAir"/> slices, brain everywhere.</summary>
    private static ScanRecord Scan(int withoutAir) =>
        new("dicom", "not-ct", "not-ct", Enumerable.Range(0, 4).Select(i => new SliceRecord(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i, i * 5.0, null,
            () => Slice(air: i >= withoutAir))).ToList(), null, 5.0);

    private static HuImage Slice(bool air)
    {
        var pixels = new float[64 * 64];
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 64; x++)
                pixels[y * 64 + x] = air && (x - 32) * (x - 32) + (y - 32) * (y - 32) > 28 * 28 ? -1000 : 30;
        return new HuImage(64, 64, pixels);
    }
}
