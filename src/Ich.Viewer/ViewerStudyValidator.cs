using Ich.Core;

namespace Ich.Viewer;

/// <summary>Checks a <see cref="ViewerStudy"/> before anything is written; every failure names the field and slice.</summary>
internal static class ViewerStudyValidator
{
    /// <summary>Most slices one viewer accepts (a thin-slice head CT has well under 1,000).</summary>
    public const int MaxSlices = 2000;

    /// <summary>Largest rows or columns accepted (CT is 512; some scanners 1024).</summary>
    public const int MaxSide = 2048;

    /// <summary>Longest text field accepted (ids, names, disclaimer).</summary>
    public const int MaxTextLength = 2000;

    public static void Validate(ViewerStudy study)
    {
        ArgumentNullException.ThrowIfNull(study);
        Text(study.ScanId, "scan id", allowEmpty: false);
        Text(study.ModelName, "model name", allowEmpty: false);
        Text(study.ModelVersion, "model version", allowEmpty: true);
        Text(study.Disclaimer, "disclaimer", allowEmpty: false);
        if (study.OperatingPoint is not null) Text(study.OperatingPoint, "operating point", allowEmpty: true);
        study.Orientation.Validate();

        if (study.FlagThresholds is not { Count: HemorrhageClasses.Count })
            throw new ViewerInputException($"flag thresholds: expected {HemorrhageClasses.Count} entries (null for a class without a flag)");
        for (var c = 0; c < HemorrhageClasses.Count; c++)
            if (study.FlagThresholds[c] is { } t && !(t >= 0 && t <= 1))
                throw new ViewerInputException($"flag threshold of {HemorrhageClasses.Names[c]}: {t} is outside [0, 1]");
        foreach (var name in study.FlaggedClasses)
            if (HemorrhageClasses.IndexOf(name) < 0)
                throw new ViewerInputException($"flagged class '{name}' is not one of {string.Join(", ", HemorrhageClasses.Names)}");

        if (study.Slices is not { Count: > 0 }) throw new ViewerInputException("the study has no slices");
        if (study.Slices.Count > MaxSlices) throw new ViewerInputException($"{study.Slices.Count} slices: at most {MaxSlices}");
        var first = study.Slices[0].Hu;
        if (first.Width > MaxSide || first.Height > MaxSide)
            throw new ViewerInputException($"slice size {first.Width}×{first.Height}: at most {MaxSide} per side");
        for (var i = 0; i < study.Slices.Count; i++)
        {
            Slice(study.Slices[i], i, first.Width, first.Height, i > 0 ? study.Slices[i - 1].ZMm : null);
            Mask(study.Slices[i].PredictedMask, i, first.Width * first.Height, study.HasSegmentationHead);
        }
    }

    private static void Mask(float[]? mask, int index, int pixels, bool hasSegmentationHead)
    {
        if (mask is null) return;
        var where = $"slice {index}";
        // A mask from a model said to have no head would be shown under the wrong explanation: refuse the contradiction.
        if (!hasSegmentationHead) throw new ViewerInputException($"{where}: has a predicted mask, but the study says the model has no segmentation head");
        if (mask.Length != pixels) throw new ViewerInputException($"{where}: predicted mask has {mask.Length} values, the slice {pixels}");
        foreach (var v in mask)
            if (!(v >= 0f && v <= 1f)) throw new ViewerInputException($"{where}: predicted mask value {v} is not a probability in [0, 1]");
    }

    private static void Slice(ViewerSlice slice, int index, int width, int height, double? previousZ)
    {
        var where = $"slice {index}";
        Text(slice.SliceId, $"{where}: slice id", allowEmpty: false);
        if (slice.Hu.Width != width || slice.Hu.Height != height)
            throw new ViewerInputException($"{where}: size {slice.Hu.Width}×{slice.Hu.Height} differs from slice 0 ({width}×{height})");
        if (!double.IsFinite(slice.ZMm)) throw new ViewerInputException($"{where}: z is not a finite number");
        if (previousZ is { } z && !(slice.ZMm > z))
            throw new ViewerInputException($"{where}: z {slice.ZMm} mm is not above the previous slice's {z} mm (slices go lowest first)");
        if (slice.Probabilities is not { Count: HemorrhageClasses.Count })
            throw new ViewerInputException($"{where}: expected {HemorrhageClasses.Count} probabilities");
        foreach (var p in slice.Probabilities)
            if (!(p >= 0 && p <= 1)) throw new ViewerInputException($"{where}: probability {p} is outside [0, 1]");
        if (slice.Saliency is null) return;
        if (slice.Saliency.Count != HemorrhageClasses.Count)
            throw new ViewerInputException($"{where}: saliency needs {HemorrhageClasses.Count} entries (null where a class has no map)");
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            if (slice.Saliency[c] is not { } map) continue;
            var name = HemorrhageClasses.Names[c];
            if (map.Length != width * height)
                throw new ViewerInputException($"{where}: {name} saliency has {map.Length} values, the slice {width * height}");
            foreach (var v in map)
                if (!(v >= 0f && v <= 1f))
                    throw new ViewerInputException($"{where}: {name} saliency value {v} is outside the absolute scale [0, 1]");
        }
    }

    private static void Text(string? value, string field, bool allowEmpty)
    {
        if (value is null || (!allowEmpty && value.Length == 0)) throw new ViewerInputException($"{field} is empty");
        if (value.Length > MaxTextLength) throw new ViewerInputException($"{field} is longer than {MaxTextLength} characters");
    }
}
