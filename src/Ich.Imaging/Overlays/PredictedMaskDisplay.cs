namespace Ich.Imaging.Overlays;

/// <summary>
/// The one convention for showing the segmentation head's predicted mask (a blood probability per pixel in [0, 1]),
/// shared by the report's mask overlay (<see cref="Options"/> for <see cref="HeatmapOverlay"/>) and the study viewer's
/// mask layer (<see cref="Region"/>): a pixel is drawn exactly when its probability exceeds <see cref="Threshold"/>,
/// so both outputs outline the same pixels of a slice.
/// </summary>
public static class PredictedMaskDisplay
{
    /// <summary>The caption both outputs use, so a reader sees it is the segmentation head's answer, not Grad-CAM.</summary>
    public const string Label = "predicted mask (segmentation head)";

    /// <summary>Blood probability at or below which a pixel is not drawn (the report's heat-map threshold).</summary>
    public const float Threshold = 0.2f;

    /// <summary>The report's heat-map rendering of a mask: nothing at or below <see cref="Threshold"/>, opacity growing above it.</summary>
    public static OverlayOptions Options { get; } = new(Opacity: 0.65f, Threshold: Threshold);

    /// <summary>Whether a pixel of probability <paramref name="probability"/> is drawn (NaN is not).</summary>
    public static bool IsDrawn(float probability) => probability > Threshold;

    /// <summary>The drawn region of a mask: one bool per pixel, same order as <paramref name="mask"/>.</summary>
    public static bool[] Region(ReadOnlySpan<float> mask)
    {
        var region = new bool[mask.Length];
        for (var i = 0; i < mask.Length; i++) region[i] = IsDrawn(mask[i]);
        return region;
    }
}
