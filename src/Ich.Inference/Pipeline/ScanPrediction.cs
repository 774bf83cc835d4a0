using Ich.Core.Scans;

namespace Ich.Inference.Pipeline;

/// <summary>When to compute Grad-CAM maps.</summary>
public enum GradCamMode
{
    /// <summary>None.</summary>
    None,
    /// <summary>For every (slice, class) whose final probability reaches the class threshold.</summary>
    Positive,
    /// <summary>For every slice and every class.</summary>
    All,
}

/// <summary>Options of a prediction run.</summary>
/// <param name="BatchSize">Slices per CNN forward pass.</param>
/// <param name="GradCam">Which Grad-CAM maps to compute.</param>
/// <param name="MaxGradCamSlicesPerClass">Cap on maps per class and scan (highest probability first), 0 = no cap.</param>
public sealed record PredictorOptions(int BatchSize = 16, GradCamMode GradCam = GradCamMode.Positive, int MaxGradCamSlicesPerClass = 0);

/// <summary>
/// A Grad-CAM map at the slice's own resolution, averaged over the ensemble's backbones (each model's
/// map scaled to a maximum of 1 first), row-major [Height, Width] in [0, 1].
/// </summary>
public sealed record SaliencyMap(int SliceIndex, int ClassIndex, float Probability, int Width, int Height, float[] Values);

/// <summary>
/// A predicted hemorrhage mask: the segmentation decoders' sigmoid probability of blood, averaged over the folds and
/// backbones that have decoders, resampled to the slice's own grid (zero outside the centre crop the network sees),
/// row-major [Height, Width] in [0, 1]. Class-agnostic: the decoders segment blood of any subtype.
/// </summary>
public sealed record PredictedMask(int SliceIndex, int Width, int Height, float[] Values);

/// <summary>Which network an intermediate <see cref="StageOutput"/> comes from.</summary>
public enum PredictionStage
{
    /// <summary>A CNN backbone, averaged over its folds.</summary>
    Cnn,
    /// <summary>SeqModel1 (features → BiGRU) of a sequence system, averaged over the CNN folds.</summary>
    SeqModel1,
    /// <summary>SeqModel2 (stacked probabilities → convolutions + BiGRU) of a sequence system: the system's output.</summary>
    SeqModel2,
}

/// <summary>Per-slice outputs of one stage of one backbone or sequence system, [L, 6] row-major.</summary>
/// <param name="Stage">The network kind.</param>
/// <param name="Source">The backbone name (<see cref="PredictionStage.Cnn"/>) or sequence system name, as in model.json.</param>
/// <param name="Probabilities">Per slice, class order of <c>HemorrhageClasses</c>.</param>
public sealed record StageOutput(PredictionStage Stage, string Source, float[] Probabilities)
{
    /// <summary>A short label for reports: <c>cnn:NAME</c>, <c>seq1:NAME</c> or <c>seq2:NAME</c>.</summary>
    public string Label => Stage switch
    {
        PredictionStage.Cnn => $"cnn:{Source}",
        PredictionStage.SeqModel1 => $"seq1:{Source}",
        PredictionStage.SeqModel2 => $"seq2:{Source}",
        _ => throw new InvalidOperationException($"unknown stage {Stage}"),
    };
}

/// <summary>Wall time of the steps of one scan's prediction, in milliseconds.</summary>
/// <param name="LoadMs">Reading and decoding the slices to HU.</param>
/// <param name="CnnMs">Every CNN fold of every backbone.</param>
/// <param name="SequenceMs">Every sequence system and the ensemble.</param>
/// <param name="GradCamMs">Grad-CAM maps (0 when none were asked for).</param>
/// <param name="TotalMs">The whole scan.</param>
public sealed record ScanTimings(double LoadMs, double CnnMs, double SequenceMs, double GradCamMs, double TotalMs)
{
    /// <summary>The steps with their names, in pipeline order (for reports).</summary>
    public IReadOnlyList<(string Step, double Ms)> Steps =>
        [("load", LoadMs), ("cnn", CnnMs), ("sequence", SequenceMs), ("gradcam", GradCamMs), ("total", TotalMs)];

    /// <summary>Total wall time divided by the slice count.</summary>
    public double MsPerSlice(int slices) => TotalMs / Math.Max(1, slices);
}

/// <summary>Everything predicted for one scan. No tensors.</summary>
/// <param name="Scan">The input scan.</param>
/// <param name="Probabilities">Final ensemble probabilities, [L, 6] row-major, slice order of the scan (0 = lowest).</param>
/// <param name="PositionsMm">Slice positions used for Δz (from the scan, or derived; see <paramref name="Notes"/>).</param>
/// <param name="Stages">Intermediate outputs: CNN per backbone, SeqModel1 and SeqModel2 per system.</param>
/// <param name="ScanMax">Per class, the maximum over slices.</param>
/// <param name="Flags">Per class, scan maximum ≥ the operating-point threshold.</param>
/// <param name="Saliency">Grad-CAM maps requested by <see cref="PredictorOptions.GradCam"/>.</param>
/// <param name="SaliencySlices">The HU images of the slices that have maps (for overlays).</param>
/// <param name="Timings">Wall time per step.</param>
/// <param name="Notes">Non-fatal remarks (e.g. how missing positions were filled).</param>
/// <param name="PredictedMasks">
/// The segmentation head's predicted hemorrhage mask, when the model has decoders: for exactly the slices that have
/// Grad-CAM maps (<see cref="SaliencySlices"/>), slice index → blood probability per pixel, row-major at the slice's own
/// size (that slice's <see cref="HuImage.Width"/> × <see cref="HuImage.Height"/>), in [0, 1]. Empty when the model has no decoders.
/// </param>
public sealed record ScanPrediction(
    ScanRecord Scan,
    float[] Probabilities,
    double[] PositionsMm,
    IReadOnlyList<StageOutput> Stages,
    float[] ScanMax,
    bool[] Flags,
    IReadOnlyList<SaliencyMap> Saliency,
    IReadOnlyDictionary<int, HuImage> SaliencySlices,
    ScanTimings Timings,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<int, PredictedMask> PredictedMasks)
{
    /// <summary>The triage flag: the <c>any</c> class reaches its threshold.</summary>
    public bool Triage => Flags[0];
}
