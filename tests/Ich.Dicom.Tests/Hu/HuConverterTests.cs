using Ich.Dicom.Hu;
using Ich.Dicom.Model;
using static Ich.Dicom.Tests.Hu.HandBuilt;

namespace Ich.Dicom.Tests.Hu;

public class HuConverterTests
{
    [Fact]
    public void Convert_SlopeInterceptPaddingAndOutsideFov_HandComputed()
    {
        var ds = Image(16, 1, slope: "2", intercept: "-1024", columns: 4);
        ds.Set(SS(DicomTags.PixelPaddingValue, -2000));
        var p = HuParameters.FromDataset(ds);

        var hu = HuConverter.Convert([-2000, 0, 600, -100], p, HuOptions.Default, out var info);

        // -2000 is padding → air; 0 → 2·0−1024; 600 → 176; −100 → −1224 < −1100 → outside FOV → air.
        Assert.Equal([-1000f, -1024f, 176f, -1000f], hu);
        Assert.Equal(new HuConversionInfo(false, 1, 1), info);
    }

    [Fact]
    public void Convert_RescaleOnly_KeepsPaddingAndFloorValues()
    {
        var ds = Image(16, 1, slope: "2", intercept: "-1024", columns: 4);
        ds.Set(SS(DicomTags.PixelPaddingValue, -2000));

        var hu = HuConverter.Convert([-2000, 0, 600, -100], HuParameters.FromDataset(ds), HuOptions.RescaleOnly, out _);

        Assert.Equal([-5024f, -1024f, 176f, -1224f], hu);
    }

    [Fact]
    public void Convert_PaddingWrittenAsUnsignedForSignedPixels_StillMatchesPadding()
    {
        // fo-dicom GH177: PixelPaddingValue US 63536 with PixelRepresentation 1 means −2000.
        var ds = Image(16, 1, intercept: "0", columns: 2);
        ds.Set(US(DicomTags.PixelPaddingValue, 63536));

        var hu = HuConverter.Convert([-2000, 40], HuParameters.FromDataset(ds), HuOptions.Default, out var info);

        Assert.Equal([-1000f, 40f], hu);
        Assert.Equal(1, info.PaddingPixels);
    }

    [Fact]
    public void Convert_PaddingRange_AllValuesBetweenValueAndLimitAreAir()
    {
        var ds = Image(16, 0, intercept: "-1024", columns: 4);
        ds.Set(US(DicomTags.PixelPaddingValue, 0));
        ds.Set(US(DicomTags.PixelPaddingRangeLimit, 10));

        var hu = HuConverter.Convert([0, 5, 10, 11], HuParameters.FromDataset(ds), HuOptions.Default, out var info);

        Assert.Equal([-1000f, -1000f, -1000f, -1013f], hu);
        Assert.Equal(3, info.PaddingPixels);
    }

    [Fact]
    public void Convert_Rsna12BitUnsignedWithWrongIntercept_AppliesTheFixExactly()
    {
        var p = HuParameters.FromDataset(Image(12, 0, intercept: "0"));

        var hu = HuConverter.Convert([0, 24, 3095, 3096, 4095], p, HuOptions.Default, out var info);

        // stored + 1000, minus 4096 when ≥ 4096, then ·1 − 1000: 0→0, 24→24, 3095→3095, 3096→(4096−4096)−1000, 4095→(5095−4096)−1000.
        Assert.True(info.InterceptFixApplied);
        Assert.Equal([0f, 24f, 3095f, -1000f, -1f], hu);
    }

    [Fact]
    public void Convert_Rsna12BitFixWithSlope_KeepsSlope()
    {
        var p = HuParameters.FromDataset(Image(12, 0, slope: "2", intercept: "-50"));

        var hu = HuConverter.Convert([100], p, HuOptions.Default, out var info);

        Assert.True(info.InterceptFixApplied);
        Assert.Equal([2 * 1100 - 1000f], hu);
    }

    [Theory]
    [InlineData(12, 0, "-1024", "12-bit unsigned with the usual intercept")]
    [InlineData(12, 0, "-100", "intercept exactly -100 (the rule is strict)")]
    [InlineData(16, 1, "0", "16-bit signed, intercept 0 (GE)")]
    [InlineData(12, 1, "0", "12-bit signed")]
    [InlineData(16, 0, "0", "16-bit unsigned")]
    [InlineData(12, 0, null, "no RescaleIntercept element")]
    public void Convert_ImagesOutsideTheRsnaRule_AreNotTouched(int bitsStored, int pr, string? intercept, string because)
    {
        var p = HuParameters.FromDataset(Image(bitsStored, pr, intercept: intercept));
        int[] stored = [0, 24, 1000, 2000, 3000];

        var hu = HuConverter.Convert(stored, p, HuOptions.Default with { OutsideFovBelowHu = null }, out var info);

        Assert.False(info.InterceptFixApplied, because);
        var icpt = intercept is null ? 0 : double.Parse(intercept, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(stored.Select(s => (float)(s + icpt)), hu);
    }

    [Fact]
    public void Convert_FixDisabledInOptions_IsNotApplied()
    {
        var p = HuParameters.FromDataset(Image(12, 0, intercept: "0"));

        var hu = HuConverter.Convert([24], p, HuOptions.Default with { FixRsna12BitIntercept = false }, out var info);

        Assert.False(info.InterceptFixApplied);
        Assert.Equal([24f], hu);
    }
}

public class HuModalityLutTests
{
    [Fact]
    public void Convert_ModalityLutSequence_MapsThroughTableAndClampsOutsideIt()
    {
        // LUT Descriptor: 4 entries, first mapped stored value 10, 16 bits; data 100, 200, 300, 400.
        var ds = Image(16, 0, slope: null, intercept: null, columns: 4);
        var item = new DicomDataset();
        item.Set(new DicomElement(DicomTags.LUTDescriptor, DicomVR.US, new byte[] { 4, 0, 10, 0, 16, 0 }));
        item.Set(new DicomElement(DicomTags.LUTData, DicomVR.OW, new byte[] { 100, 0, 200, 0, 44, 1, 144, 1 }));
        ds.Set(new DicomElement(DicomTags.ModalityLUTSequence, DicomVR.SQ, ReadOnlyMemory<byte>.Empty) { Items = [item] });
        var p = HuParameters.FromDataset(ds);

        var hu = HuConverter.Convert([9, 10, 12, 20], p, HuOptions.RescaleOnly, out var info);

        Assert.Equal([100f, 100f, 300f, 400f], hu);
        Assert.False(info.InterceptFixApplied);
        Assert.False(Rsna12BitInterceptFix.AppliesTo(p));
    }
}
