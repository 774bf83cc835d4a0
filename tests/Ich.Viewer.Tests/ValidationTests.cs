namespace Ich.Viewer.Tests;

public class ValidationTests
{
    [Fact]
    public void Render_ZNotAscending_NamesTheSlice()
    {
        var study = TinyStudy.Make();
        var slices = study.Slices.ToArray();
        slices[2] = slices[2] with { ZMm = slices[1].ZMm };
        var e = Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(study with { Slices = slices }));
        Assert.Contains("slice 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ProbabilityOutsideUnitRange_IsRefused()
    {
        var study = TinyStudy.Make();
        var slices = study.Slices.ToArray();
        slices[1] = slices[1] with { Probabilities = [1.5, 0, 0, 0, 0, 0] };
        var e = Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(study with { Slices = slices }));
        Assert.Contains("slice 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SaliencyOffTheAbsoluteScale_IsRefused()
    {
        var study = TinyStudy.Make();
        var slices = study.Slices.ToArray();
        var map = new float[16];
        map[3] = 1.2f; // a map scaled to its own maximum ×1.2 or an unnormalised CAM
        slices[0] = slices[0] with { Saliency = [map, null, null, null, null, null] };
        var e = Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(study with { Slices = slices }));
        Assert.Contains("absolute scale", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WrongThresholdCountOrUnknownFlaggedClass_IsRefused()
    {
        Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(TinyStudy.Make() with { FlagThresholds = [0.5, 0.5] }));
        Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(TinyStudy.Make() with { FlaggedClasses = ["bleed"] }));
    }

    [Fact]
    public void Render_SlicesOfDifferentSizes_AreRefused()
    {
        var study = TinyStudy.Make();
        var slices = study.Slices.ToArray();
        slices[1] = slices[1] with { Hu = new Ich.Core.Scans.HuImage(2, 2, new float[4]) };
        Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(study with { Slices = slices }));
    }

    [Fact]
    public void Render_PredictedMaskWithoutSegmentationHead_WrongSizeOrNotAProbability_IsRefusedNamingTheSlice()
    {
        var study = TinyStudy.Make();
        Ich.Viewer.ViewerStudy WithMask(float[] mask, bool head)
        {
            var slices = study.Slices.ToArray();
            slices[2] = slices[2] with { PredictedMask = mask };
            return study with { HasSegmentationHead = head, Slices = slices };
        }
        var noHead = Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(WithMask(new float[16], head: false)));
        Assert.Contains("slice 2", noHead.Message, StringComparison.Ordinal);
        Assert.Contains("no segmentation head", noHead.Message, StringComparison.Ordinal);
        var size = Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(WithMask(new float[15], head: true)));
        Assert.Contains("15 values", size.Message, StringComparison.Ordinal);
        var nan = new float[16];
        nan[0] = float.NaN;
        Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(WithMask(nan, head: true)));
        var over = new float[16];
        over[3] = 1.5f;
        var e = Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(WithMask(over, head: true)));
        Assert.Contains("not a probability", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoSlices_IsRefused() =>
        Assert.Throws<ViewerInputException>(() => StudyViewerHtml.Render(TinyStudy.Make() with { Slices = [] }));
}
