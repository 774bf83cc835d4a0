using Ich.Core.Scans;
using Ich.Imaging;

namespace Ich.Imaging.Tests;

/// <summary>
/// Thin series read as thick slabs: which slices make each slice's slab (<see cref="SlabPlan"/>) and their pixel mean
/// (<see cref="SlabMean"/>).
/// </summary>
public class SlabTests
{
    private static ScanRecord Series(int slices, double spacingMm, double? thicknessMm, double firstZ = -40)
    {
        var records = Enumerable.Range(0, slices)
            .Select(i => new SliceRecord($"s{i}", i, firstZ + i * spacingMm, null, () => throw new InvalidOperationException("pixels are not needed")))
            .ToList();
        return new ScanRecord("test", "P", "scan", records, SliceThicknessMm: thicknessMm);
    }

    [Fact]
    public void ThinSlices_TakeTheNeighboursWhollyInsideTheBand_AndTheEndsAreCutShort()
    {
        // 0.625 mm: a 5 mm band centred on a slice holds it and 3 neighbours each side ((5 − 0.625) / 2 = 2.19 mm ≥ 3 × 0.625).
        var members = SlabPlan.Members(Series(10, 0.625, 0.625), 5)!;
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], members[5]);
        Assert.Equal([0, 1, 2, 3], members[0]);
        Assert.Equal([6, 7, 8, 9], members[9]);
        // 1.25 mm: one neighbour each side (3.75 mm), not two (the band would then reach 6.25 mm).
        Assert.Equal([3, 4, 5], SlabPlan.Members(Series(10, 1.25, 1.25), 5)![4]);
    }

    [Fact]
    public void ImplausiblyCloseSlices_AreAveragedAtMostMaxMembersAtATime()
    {
        // 0.001 mm apart: a 5 mm band would hold every one of the 400 slices.
        var members = SlabPlan.Members(Series(400, 0.001, 0.001), 5)!;
        Assert.Equal(SlabPlan.MaxMembers, members[200].Length);
        Assert.Equal(Enumerable.Range(200 - SlabPlan.MaxMembers / 2, SlabPlan.MaxMembers), members[200]);
        Assert.All(members, m => Assert.InRange(m.Length, 1, SlabPlan.MaxMembers));
    }

    [Theory]
    [InlineData(5.0, 5.0)]   // as thick as the slab
    [InlineData(3.0, 3.0)]   // the neighbours would stick out of a 5 mm band
    [InlineData(2.5, 2.5)]
    [InlineData(2.5, 5.0)]   // overlapping 5 mm slices every 2.5 mm: already thick
    public void SeriesThickEnough_IsReadAsItIs(double spacingMm, double thicknessMm) =>
        Assert.Null(SlabPlan.Members(Series(12, spacingMm, thicknessMm), 5));

    [Fact]
    public void WithoutThickness_TheMedianSpacingStandsForIt()
    {
        Assert.Equal([1, 2, 3], SlabPlan.Members(Series(6, 1.25, null), 5)![2]);
        Assert.Null(SlabPlan.Members(Series(6, 5, null), 5));
    }

    [Fact]
    public void UnknownPositions_NoSlabAsked_OrOneSlice_AreReadAsTheyAre()
    {
        var scan = Series(8, 0.625, 0.625);
        Assert.Null(SlabPlan.Members(scan with { Slices = scan.Slices.Select(s => s with { ZMm = double.NaN }).ToList() }, 5));
        Assert.Null(SlabPlan.Members(scan, null));
        Assert.Null(SlabPlan.Members(Series(1, 0.625, 0.625), 5));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(12.0)]
    [InlineData(double.NaN)]
    public void SlabOutsideItsRange_IsRefused(double slabMm) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SlabPlan.Members(Series(8, 0.625, 0.625), slabMm));

    [Fact]
    public void Mean_AveragesPixelwise_AndOneGridIsItself()
    {
        float[] a = [0, 10, -1000], b = [30, 20, -1000], c = [60, 0, 500];
        Assert.Equal([30f, 10f, -500f], SlabMean.Of([a, b, c]));
        Assert.Same(a, SlabMean.Of([a]));
        Assert.Throws<ArgumentException>(() => SlabMean.Of([a, new float[2]]));
        Assert.Throws<ArgumentException>(() => SlabMean.Of([]));
    }
}
