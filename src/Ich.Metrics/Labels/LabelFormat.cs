using Ich.Core.Errors;

namespace Ich.Metrics.Labels;

/// <summary>The ground-truth file layouts <c>ich evaluate</c> reads (docs/evaluation.md describes each).</summary>
public enum LabelFormat
{
    /// <summary>RSNA 2019 <c>stage_2_train.csv</c>: <c>ID,Label</c> with ID <c>&lt;SOP&gt;_&lt;subtype&gt;</c>; slice level.</summary>
    Rsna,
    /// <summary>PhysioNet CT-ICH <c>hemorrhage_diagnosis.csv</c>; slice level.</summary>
    Physionet,
    /// <summary>CQ500 <c>reads.csv</c> (three readers, majority vote); scan level only.</summary>
    Cq500,
    /// <summary>
    /// Deprecated alias of <see cref="Rsna"/> (kept for one release): <c>ich synth</c>'s labels.csv now uses RSNA IDs;
    /// also reads the <c>ID_&lt;SOPInstanceUID&gt;_&lt;subtype&gt;</c> files of earlier versions. Slice level.
    /// </summary>
    Phantom,
}

public static class LabelFormats
{
    public static LabelFormat Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "rsna" => LabelFormat.Rsna,
        "physionet" => LabelFormat.Physionet,
        "cq500" => LabelFormat.Cq500,
        "phantom" => LabelFormat.Phantom,
        _ => throw new ConfigException($"unknown label format '{text}' (expected rsna, physionet, cq500 or phantom)"),
    };

    public static string Name(this LabelFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>True when the format labels slices (so both slice and scan levels can be evaluated).</summary>
    public static bool HasSliceLabels(this LabelFormat format) => format != LabelFormat.Cq500;
}
