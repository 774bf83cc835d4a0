using Ich.Core.Errors;
using Ich.Dicom.Series;
using Ich.TestKit;
using static Ich.Dicom.Tests.Series.Headers;

namespace Ich.Dicom.Tests.Series;

public class SeriesSelectorTests
{
    // A CQ500-like study: thin soft-tissue (0.625 mm), thick soft-tissue (5 mm), bone kernel (5 mm), all over 150 mm.
    private static IEnumerable<SliceHeader> Cq500LikeStudy() =>
        AxialSeries("9.1", 241, 0, 0.625, 0.625, "STANDARD", "CT PLAIN THIN", 2)
            .Concat(AxialSeries("9.2", 31, 0, 5, 5, "STANDARD", "CT 5mm", 3))
            .Concat(AxialSeries("9.3", 31, 0, 5, 5, "BONE", "CT BONE 5mm", 4));

    [Fact]
    public void Select_ThinThickAndBoneKernelSeries_PicksThickSoftTissueWithReason()
    {
        var study = Assert.Single(SeriesAssembler.AssembleHeaders(Cq500LikeStudy()).Studies);

        Assert.Equal("9.2", study.SelectedSeries!.SeriesInstanceUid);
        Assert.Contains("axial soft-tissue", study.SelectedSeries.Reason);
        var thin = study.Series.Single(s => s.SeriesInstanceUid == "9.1");
        Assert.True(thin.Eligible);
        Assert.False(thin.Selected);
        Assert.Contains("thickness 0.625 mm further from 5 mm", thin.Reason);
        var bone = study.Series.Single(s => s.SeriesInstanceUid == "9.3");
        Assert.False(bone.Eligible);
        Assert.Contains("bone/sharp reconstruction kernel 'BONE'", bone.Reason);
    }

    [Fact]
    public void Select_ThickSeriesCoversOnlyPartOfTheHead_ThinSeriesWinsOnCoverage()
    {
        var headers = AxialSeries("8.1", 241, 0, 0.625, 0.625, "STANDARD")   // 150 mm
            .Concat(AxialSeries("8.2", 12, 0, 5, 5, "STANDARD"));            // 60 mm

        var study = Assert.Single(SeriesAssembler.AssembleHeaders(headers).Studies);

        Assert.Equal("8.1", study.SelectedSeries!.SeriesInstanceUid);
        Assert.Contains("covers 60 mm vs 150.625 mm", study.Series.Single(s => s.SeriesInstanceUid == "8.2").Reason);
    }

    [Fact]
    public void Select_BoneKernelByDescriptionOnly_IsNotEligible()
    {
        var headers = AxialSeries("7.1", 30, 0, 5, 5, kernel: null, description: "Head BONE window");

        var study = Assert.Single(SeriesAssembler.AssembleHeaders(headers).Studies);

        Assert.Null(study.SelectedSeries);
        Assert.StartsWith("no eligible series", study.SelectionReason);
        Assert.Contains("description 'Head BONE window'", study.SelectionReason);
    }

    [Fact]
    public void Select_OverrideUid_WinsOverTheRule()
    {
        var rules = SeriesSelectionRules.Default with { OverrideSeriesInstanceUids = ["9.1"] };

        var study = Assert.Single(SeriesAssembler.AssembleHeaders(Cq500LikeStudy(), rules: rules).Studies);

        Assert.Equal("9.1", study.SelectedSeries!.SeriesInstanceUid);
        Assert.Contains("override", study.SelectedSeries.Reason);
    }

    [Fact]
    public void Select_PreferredThicknessChangedInRules_PicksThinSeries()
    {
        var rules = SeriesSelectionRules.Default with { PreferredThicknessMm = 0.6 };

        var study = Assert.Single(SeriesAssembler.AssembleHeaders(Cq500LikeStudy(), rules: rules).Studies);

        Assert.Equal("9.1", study.SelectedSeries!.SeriesInstanceUid);
    }

    [Fact]
    public void Select_SeriesWithGap_LosesToCompleteSeriesOfSameCoverage()
    {
        var complete = AxialSeries("6.1", 31, 0, 5, 5);
        var gappy = AxialSeries("6.0", 31, 0, 5, 5).Where((_, i) => i != 10);

        var study = Assert.Single(SeriesAssembler.AssembleHeaders(complete.Concat(gappy)).Studies);

        Assert.Equal("6.1", study.SelectedSeries!.SeriesInstanceUid);
        Assert.Contains("1 gap(s) vs 0", study.Series.Single(s => s.SeriesInstanceUid == "6.0").Reason);
    }

    [Fact]
    public void Select_LocalizerMrAndSingleSliceSeries_AreExcludedWithReasons()
    {
        var headers = AxialSeries("5.1", 20, 0, 5, 5)
            .Append(Slice("loc1", 0, 0, 0, series: "5.2", imageType: ["ORIGINAL", "PRIMARY", "LOCALIZER"], seriesNumber: 1))
            .Append(Slice("mr1", 0, 0, 0, series: "5.3", modality: "MR"))
            .Append(Slice("mr2", 0, 0, 5, series: "5.3", modality: "MR"))
            .Append(Slice("one", 0, 0, 0, series: "5.4"));

        var study = Assert.Single(SeriesAssembler.AssembleHeaders(headers).Studies);

        Assert.Equal("5.1", study.SelectedSeries!.SeriesInstanceUid);
        Assert.Equal("only localizer images", study.Series.Single(s => s.SeriesInstanceUid == "5.2").IneligibleReason);
        Assert.Equal("modality MR, not CT", study.Series.Single(s => s.SeriesInstanceUid == "5.3").IneligibleReason);
        var single = study.Series.Single(s => s.SeriesInstanceUid == "5.4");
        Assert.Equal("single slice", single.IneligibleReason);
        Assert.Contains(single.Problems, p => p.Code == SeriesProblemCodes.SingleSlice);
    }

    [Fact]
    public void Select_SagittalReformat_IsNotAxial()
    {
        double[] sagittal = [0, 1, 0, 0, 0, -1];
        var headers = Enumerable.Range(0, 10).Select(i => Slice($"sag{i}", i * 2.0, 0, 0, sagittal, series: "4.1"));

        var series = Assert.Single(Assert.Single(SeriesAssembler.AssembleHeaders(headers).Studies).Series);

        Assert.False(series.Eligible);
        Assert.StartsWith("not axial: slice normal 90°", series.IneligibleReason);
    }

    [Fact]
    public void AssembleHeaders_TwoStudies_GroupedByStudyAndSeriesUid()
    {
        var headers = AxialSeries("3.1", 5, 0, 5, 5, study: "S1")
            .Concat(AxialSeries("3.2", 5, 0, 5, 5, study: "S2"))
            .Append(Slice("nouid", 0, 0, 0) with { SeriesInstanceUid = null });

        var assembly = SeriesAssembler.AssembleHeaders(headers);

        Assert.Equal(["S1", "S2"], assembly.Studies.Select(s => s.StudyInstanceUid));
        Assert.All(assembly.Studies, s => Assert.NotNull(s.SelectedSeries));
        Assert.Equal("no SeriesInstanceUID", Assert.Single(assembly.UnlistedFiles).Reason);
    }

    [Fact]
    public void Load_CommittedConfig_EqualsBuiltInDefaults()
    {
        var path = Path.Combine(RepoPaths.Root, "configs", "series-selection.json");

        var rules = SeriesSelectionRules.Load(path);

        var d = SeriesSelectionRules.Default;
        Assert.Equal(d.MaxObliquityDeg, rules.MaxObliquityDeg);
        Assert.Equal(d.MinSlices, rules.MinSlices);
        Assert.Equal(d.PreferredThicknessMm, rules.PreferredThicknessMm);
        Assert.Equal(d.CoverageToleranceMm, rules.CoverageToleranceMm);
        Assert.Equal(d.SharpKernelPatterns, rules.SharpKernelPatterns);
        Assert.Equal(d.SharpDescriptionPatterns, rules.SharpDescriptionPatterns);
        Assert.Equal(d.LocalizerDescriptionPatterns, rules.LocalizerDescriptionPatterns);
        Assert.Empty(rules.OverrideSeriesInstanceUids);
    }

    [Theory]
    [InlineData("{ \"maxObliquityDeg\": 120 }", "maxObliquityDeg must be within 0..90")]
    [InlineData("{ \"sharpKernelPatterns\": [\"(\"] }", "bad pattern '('")]
    [InlineData("{ \"preferedThicknessMm\": 5 }", "invalid series-selection rules")]
    [InlineData("{ not json", "invalid series-selection rules")]
    public void Load_BadRulesFile_ThrowsConfigExceptionNamingFile(string json, string expected)
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "rules.json");
        File.WriteAllText(path, json);
        try
        {
            var e = Assert.Throws<ConfigException>(() => SeriesSelectionRules.Load(path));
            Assert.Contains(expected, e.Message);
            Assert.Equal(path, e.Path);
        }
        finally { Directory.Delete(dir, true); }
    }
}
