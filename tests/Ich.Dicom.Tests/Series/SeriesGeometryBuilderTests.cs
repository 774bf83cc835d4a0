using Ich.Dicom.Series;
using static Ich.Dicom.Tests.Series.Headers;

namespace Ich.Dicom.Tests.Series;

public class SeriesGeometryBuilderTests
{
    [Fact]
    public void Build_ReversedFileOrderAndMisleadingInstanceNumbers_OrdersByPositionAlongNormal()
    {
        // File names sort z=20, 10, 0 and InstanceNumbers say the opposite of the positions.
        var headers = new[]
        {
            Slice("s-top", 0, 0, 20, path: "/d/a.dcm", instance: 1),
            Slice("s-mid", 0, 0, 10, path: "/d/b.dcm", instance: 3),
            Slice("s-low", 0, 0, 0, path: "/d/c.dcm", instance: 2),
        };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(["s-low", "s-mid", "s-top"], g.Slices.Select(s => s.SopInstanceUid));
        Assert.Equal([0.0, 10.0, 20.0], g.Slices.Select(s => s.PositionMm));
        Assert.Equal(10.0, g.SpacingMm);
        Assert.Empty(g.Gaps);
    }

    [Fact]
    public void Build_GantryTiltedStack_ReportsTiltAngleAndPerpendicularSpacing()
    {
        // Tilt 15° about x; the table moves 5 mm along z per slice, so planes are 5·cos15° apart.
        var iop = TiltedAboutX(15);
        var headers = Enumerable.Range(0, 6).Select(i => Slice($"t{i}", -120, -100, 30 + 5 * i, iop, thickness: 5)).ToArray();

        var g = SeriesGeometryBuilder.Build(headers);

        var expectedStep = 5 * Math.Cos(15 * Math.PI / 180); // 4.8296 mm
        Assert.Equal(15.0, g.TiltDeg!.Value, 6);
        Assert.Equal(15.0, g.ObliquityDeg!.Value, 6);
        Assert.Equal(expectedStep, g.SpacingMm!.Value, 6);
        Assert.Equal(5.0, g.TableIncrementMm!.Value, 6);
        // Position along the normal (0, sin15, cos15): y·sin15 + z·cos15.
        var s15 = Math.Sin(15 * Math.PI / 180);
        var c15 = Math.Cos(15 * Math.PI / 180);
        Assert.Equal(-100 * s15 + 30 * c15, g.Slices[0].PositionMm, 6);
    }

    [Fact]
    public void Build_ObliqueSlicesStackedAlongTheirNormal_TiltZeroObliquityFifteen()
    {
        var iop = TiltedAboutX(15);
        var n = new Vec3(0, Math.Sin(15 * Math.PI / 180), Math.Cos(15 * Math.PI / 180));
        var headers = Enumerable.Range(0, 4).Select(i =>
        {
            var p = new Vec3(-120, -100, 30) + (5.0 * i) * n;
            return Slice($"o{i}", p.X, p.Y, p.Z, iop);
        }).ToArray();

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(0.0, g.TiltDeg!.Value, 6);
        Assert.Equal(15.0, g.ObliquityDeg!.Value, 6);
        Assert.Equal(5.0, g.SpacingMm!.Value, 9);
    }

    [Fact]
    public void Build_NormalPointingToFeet_IsFlippedSoLowestSliceComesFirst()
    {
        // Column cosine (0,-1,0) makes row × column point to -Z; index 0 must still be the most inferior slice.
        double[] iop = [1, 0, 0, 0, -1, 0];
        var headers = new[] { Slice("up", 0, 0, 50, iop), Slice("down", 0, 0, -50, iop) };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(["down", "up"], g.Slices.Select(s => s.SopInstanceUid));
        Assert.Equal(new Vec3(0, 0, 1), g.Orientation!.Normal);
        Assert.Equal(100.0, g.SpacingMm);
    }

    [Fact]
    public void Build_TwoInstancesAtOnePosition_KeepsLowestInstanceNumberAndReportsDuplicate()
    {
        var headers = new[]
        {
            Slice("a", 0, 0, 0, instance: 1), Slice("b2", 0, 0, 5, instance: 7), Slice("b1", 0, 0, 5.004, instance: 2),
            Slice("c", 0, 0, 10, instance: 3),
        };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(["a", "b1", "c"], g.Slices.Select(s => s.SopInstanceUid));
        var dropped = Assert.Single(g.Excluded);
        Assert.Equal("/data/b2.dcm", dropped.Path);
        Assert.Contains("same position as b1", dropped.Reason);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.Duplicate);
    }

    [Fact]
    public void Build_SameSopInstanceInTwoFiles_KeepsOrdinallyFirstPath()
    {
        var headers = new[]
        {
            Slice("x", 0, 0, 0, path: "/z/copy.dcm"), Slice("x", 0, 0, 0, path: "/a/orig.dcm"), Slice("y", 0, 0, 5),
        };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(2, g.Slices.Count);
        Assert.Equal("/a/orig.dcm", g.Slices[0].Header.Path);
        Assert.Equal("/z/copy.dcm", Assert.Single(g.Excluded).Path);
    }

    [Fact]
    public void Build_MissingSlice_ReportsGapBetweenItsNeighbours()
    {
        // 5 mm slices at 0, 5, 10, 20, 25: the slice at 15 is missing.
        var headers = new[] { 0.0, 5, 10, 20, 25 }.Select((z, i) => Slice($"g{i}", 0, 0, z, thickness: 5)).ToArray();

        var g = SeriesGeometryBuilder.Build(headers);

        var gap = Assert.Single(g.Gaps);
        Assert.Equal("g2", gap.AfterSopInstanceUid);
        Assert.Equal("g3", gap.BeforeSopInstanceUid);
        Assert.Equal(10.0, gap.StepMm);
        Assert.Equal(5.0, g.SpacingMm);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.Gap);
    }

    [Fact]
    public void Build_StepMatchingThickerSlices_IsNotAGapButNonUniformSpacing()
    {
        // 4 mm skull-base slices, then 7 mm slices with 7 mm thickness (the GE protocol): no gap.
        var z = new[] { 0.0, 4, 8, 12, 19, 26, 33 };
        var headers = z.Select((v, i) => Slice($"n{i}", 0, 0, v, thickness: i < 4 ? 4 : 7)).ToArray();

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Empty(g.Gaps);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.NonUniformSpacing);
        Assert.Equal(4.0, g.MinStepMm);
        Assert.Equal(7.0, g.MaxStepMm);
        Assert.Equal(4.0, g.ThicknessMm); // the most common tag value (4 slices of 4 mm, 3 of 7 mm), not a mean
    }

    [Fact]
    public void Build_GapInUniformSeries_IsNotAlsoReportedAsNonUniformSpacing()
    {
        var headers = new[] { 0.0, 5, 10, 20, 25 }.Select((z, i) => Slice($"u{i}", 0, 0, z, thickness: 5)).ToArray();

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Single(g.Gaps);
        Assert.DoesNotContain(g.Problems, p => p.Code == SeriesProblemCodes.NonUniformSpacing);
    }

    [Fact]
    public void Build_MixedOrientation_KeepsMajorityOrientationAndExcludesTheOther()
    {
        double[] coronal = [1, 0, 0, 0, 0, -1];
        var headers = new[]
        {
            Slice("a1", 0, 0, 0), Slice("a2", 0, 0, 5), Slice("a3", 0, 0, 10), Slice("c1", 0, 20, 0, coronal),
        };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(["a1", "a2", "a3"], g.Slices.Select(s => s.SopInstanceUid));
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.MixedOrientation);
        Assert.Contains("orientation", Assert.Single(g.Excluded).Reason);
    }

    [Fact]
    public void Build_MixedSizes_KeepsMajoritySizeAndExcludesTheOther()
    {
        var headers = new[]
        {
            Slice("a1", 0, 0, 0), Slice("a2", 0, 0, 5), Slice("small", 0, 0, 10, rows: 256, columns: 256),
        };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(2, g.Slices.Count);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.MixedSize);
        var excluded = Assert.Single(g.Excluded);
        Assert.Equal("/data/small.dcm", excluded.Path);
        Assert.Contains("256x256", excluded.Reason);
    }

    [Fact]
    public void Build_NoThicknessTag_ThicknessFromSpacing()
    {
        var g = SeriesGeometryBuilder.Build(new[] { 0.0, 3, 6 }.Select((z, i) => Slice($"t{i}", 0, 0, z)));

        Assert.Equal(3.0, g.ThicknessMm);
        Assert.Equal("spacing", g.ThicknessSource);
        Assert.Equal(9.0, g.CoverageMm); // 6 mm between first and last + one thickness
    }

    [Fact]
    public void Build_ThicknessTag_WinsOverSpacing()
    {
        var g = SeriesGeometryBuilder.Build(new[] { 0.0, 3, 6 }.Select((z, i) => Slice($"t{i}", 0, 0, z, thickness: 2.5)));

        Assert.Equal(2.5, g.ThicknessMm);
        Assert.Equal("tag", g.ThicknessSource);
    }

    [Fact]
    public void Build_SingleSlice_FlagsProblemAndHasNoSpacing()
    {
        var g = SeriesGeometryBuilder.Build([Slice("only", 0, 0, 0, thickness: 5)]);

        Assert.Single(g.Slices);
        Assert.Null(g.SpacingMm);
        Assert.Null(g.TiltDeg);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.SingleSlice);
    }

    [Fact]
    public void Build_SliceWithoutPosition_IsExcludedWithReason()
    {
        var headers = new[] { Slice("a", 0, 0, 0), Slice("b", 0, 0, 5), Slice("c", 0, 0, 10) with { Position = null } };

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(2, g.Slices.Count);
        Assert.Equal("no usable ImagePositionPatient", Assert.Single(g.Excluded).Reason);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.MissingGeometry);
    }

    [Fact]
    public void Build_GantryTiltTagDisagreesWithGeometry_ReportsMismatch()
    {
        var headers = Enumerable.Range(0, 3).Select(i => Slice($"m{i}", 0, 0, 5 * i) with { GantryTiltTagDeg = 12 }).ToArray();

        var g = SeriesGeometryBuilder.Build(headers);

        Assert.Equal(0.0, g.TiltDeg);
        Assert.Contains(g.Problems, p => p.Code == SeriesProblemCodes.TiltTagMismatch);
    }
}
