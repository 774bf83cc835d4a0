using System.Text.Json;
using Ich.Core;
using Ich.Imaging;
using Ich.Imaging.Overlays;

namespace Ich.Viewer;

/// <summary>
/// The study as the page's script reads it: one JSON object (camelCase) embedded in a
/// <c>&lt;script type="application/json"&gt;</c> block. Strings go through System.Text.Json's default
/// encoder, which escapes &lt; &gt; &amp; ' and non-ASCII, so no input can close the script element.
/// </summary>
internal static class ViewerPayload
{
    /// <summary>Version of the payload layout; the script refuses others.</summary>
    public const int FormatVersion = 1;

    /// <summary>Colours of the six classes in the chart (Okabe–Ito palette, readable on the dark background).</summary>
    public static readonly IReadOnlyList<string> ClassColours = ["#ffffff", "#e69f00", "#56b4e9", "#2fc48f", "#f0e442", "#e08ec0"];

    public static string Build(ViewerStudy study, int startSlice)
    {
        var first = study.Slices[0].Hu;
        // Compression is the slow part (~0.1 s a slice); slices are independent, so they are encoded in
        // parallel into fixed positions and the output does not depend on scheduling.
        var hu = new string[study.Slices.Count];
        var saliency = new string?[]?[study.Slices.Count];
        var masks = new string?[study.Slices.Count];
        Parallel.For(0, study.Slices.Count, i =>
        {
            var s = study.Slices[i];
            hu[i] = Convert.ToBase64String(PlaneCodec.EncodeHu(s.Hu.Pixels, s.Hu.Width, s.Hu.Height));
            saliency[i] = s.Saliency?.Select(m => m is null ? null : Convert.ToBase64String(PlaneCodec.EncodeSaliency(m, s.Hu.Width, s.Hu.Height))).ToArray();
            masks[i] = s.PredictedMask is { } mask ? Convert.ToBase64String(PlaneCodec.EncodeMask(mask, s.Hu.Width, s.Hu.Height)) : null;
        });
        var (left, right, top, bottom) = study.Orientation.EdgeLabels();
        var payload = new
        {
            version = FormatVersion,
            scanId = study.ScanId,
            width = first.Width,
            height = first.Height,
            pixelSpacingMm = first.PixelSpacingMm,
            startSlice,
            saliencyFactor = PlaneCodec.SaliencyFactor(first.Width, first.Height),
            markers = new { left, right, top, bottom },
            fineLowHu = PlaneCodec.FineLowHu,
            presets = new object[]
            {
                Preset("brain", "Brain", HuWindow.Brain, "fine"),
                Preset("subdural", "Subdural", HuWindow.Subdural, "fine"),
                Preset("bone", "Bone", HuWindow.Bone, "bone"),
            },
            colourTable = Convert.ToBase64String(ColorMap.JetTable()),
            predictedMask = new
            {
                available = study.HasSegmentationHead,
                label = PredictedMaskDisplay.Label,
                threshold = PredictedMaskDisplay.Threshold,
                stride = PlaneCodec.MaskStride(first.Width),
            },
            classes = Enumerable.Range(0, HemorrhageClasses.Count).Select(c => new
            {
                name = HemorrhageClasses.Names[c],
                abbreviation = HemorrhageClasses.Abbreviations[c],
                colour = ClassColours[c],
                threshold = study.FlagThresholds[c],
                flagged = study.FlaggedClasses.Contains(HemorrhageClasses.Names[c], StringComparer.OrdinalIgnoreCase),
            }).ToArray(),
            slices = study.Slices.Select((s, i) => new
            {
                id = s.SliceId,
                z = Math.Round(s.ZMm, 3),
                p = s.Probabilities.Select(p => Math.Round(p, 4)).ToArray(),
                hu = hu[i],
                saliency = saliency[i],
                mask = masks[i],
            }).ToArray(),
        };
        return JsonSerializer.Serialize(payload);
    }

    private static object Preset(string key, string label, HuWindow window, string plane) =>
        new { key, label, center = window.Center, width = window.Width, plane };
}
