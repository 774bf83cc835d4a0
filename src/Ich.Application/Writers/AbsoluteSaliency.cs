using Ich.Core;
using Ich.Inference.Pipeline;

namespace Ich.Application.Writers;

/// <summary>
/// The one saliency scale every output shares (viewer, raw 16-bit maps, DICOM captures). A Grad-CAM map comes
/// out of the predictor scaled to its own maximum, which makes a faint slice look as hot as the bleed. Weighting
/// it by that slice's final probability of the class puts every map of a study on one absolute 0..1 scale —
/// "saliency × P(class on this slice)" — so colours compare across slices, as the legends state.
/// </summary>
public static class AbsoluteSaliency
{
    /// <summary>The legend text of the scale.</summary>
    public const string Legend = "Grad-CAM × P(class on this slice), 0–1, one scale for every slice";

    /// <summary>The map's values on the absolute scale (a new array; the map is not changed).</summary>
    public static float[] Of(ScanPrediction prediction, SaliencyMap map)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(map);
        var p = Math.Clamp(prediction.Probabilities[map.SliceIndex * HemorrhageClasses.Count + map.ClassIndex], 0f, 1f);
        var values = new float[map.Values.Length];
        for (var i = 0; i < values.Length; i++) values[i] = Math.Clamp(map.Values[i], 0f, 1f) * p;
        return values;
    }
}
