using System.Globalization;
using System.Text;
using System.Text.Json;
using Ich.Core;
using Ich.Core.Scans;
using Ich.Inference.Pipeline;
using Ich.Model.Explain;

namespace Ich.Inference.Explain;

/// <summary>Which explanation a <see cref="SaliencyScore"/> measures.</summary>
public enum ExplanationKind
{
    /// <summary>The ensemble's Grad-CAM map of the class (CSV <c>gradcam</c>).</summary>
    GradCam,
    /// <summary>The segmentation head's predicted mask, class-agnostic, scored for <c>any</c> only (CSV <c>predicted_mask</c>).</summary>
    PredictedMask,
}

/// <summary>One evaluated map: a slice with a lesion of this class, its map (Grad-CAM or predicted mask) against the class's mask.</summary>
public sealed record SaliencyScore(string ScanId, string SliceId, int SliceIndex, int ClassIndex, float Probability, int MaskPixels,
    double MaskFraction, bool PointingHit, double MassInside, ExplanationKind Explanation = ExplanationKind.GradCam);

/// <summary>
/// Measures how well the ensemble's Grad-CAM points at the bleed: for every slice whose mask is non-empty,
/// for "any" (the union mask) and each subtype present, the pointing game (map maximum inside the mask) and
/// the share of the map's mass inside the mask — each next to its chance level, the mask's area fraction
/// (what a uniform or randomly placed map would score). When the model has segmentation decoders, the predicted mask of
/// every slice with a non-empty <c>any</c> mask is scored the same way against that mask.
/// </summary>
public static class SaliencyEvaluation
{
    /// <param name="predictor">The model.</param>
    /// <param name="scan">A scan whose slice IDs key the masks.</param>
    /// <param name="mask">(slice ID, class index) → row-major mask at the slice's own size, or null when the slice has none.</param>
    public static List<SaliencyScore> Evaluate(ScanPredictor predictor, ScanRecord scan, Func<string, int, bool[]?> mask, CancellationToken cancel = default)
    {
        var requests = new List<GradCamRequest>();
        var masks = new List<bool[]>();
        for (var i = 0; i < scan.Slices.Count; i++)
            for (var c = 0; c < HemorrhageClasses.Count; c++)
                if (mask(scan.Slices[i].SliceId, c) is { } m && m.Any(v => v))
                {
                    requests.Add(new GradCamRequest(i, c));
                    masks.Add(m);
                }
        if (requests.Count == 0) return [];
        var prediction = predictor.Predict(scan, cancel);
        var maps = predictor.Explain(scan, requests, prediction.Probabilities, cancel);
        var scores = new List<SaliencyScore>();
        for (var k = 0; k < maps.Count; k++)
        {
            var map = maps[k];
            if (map.Values.Length != masks[k].Length)
                throw new Ich.Core.Errors.ModelInputException(
                    $"scan {scan.ScanId} slice {scan.Slices[map.SliceIndex].SliceId}: mask has {masks[k].Length} pixels, the slice {map.Values.Length}");
            var pixels = masks[k].Count(v => v);
            scores.Add(new SaliencyScore(scan.ScanId, scan.Slices[map.SliceIndex].SliceId, map.SliceIndex, map.ClassIndex, map.Probability,
                pixels, (double)pixels / masks[k].Length, SaliencyAgreement.PointingHit(map.Values, masks[k]), SaliencyAgreement.MassInside(map.Values, masks[k])));
        }
        var anyMasks = Enumerable.Range(0, requests.Count).Where(k => requests[k].ClassIndex == 0).ToDictionary(k => requests[k].Slice, k => masks[k]);
        foreach (var predicted in predictor.PredictMasks(scan, anyMasks.Keys.ToList(), cancel).Values.OrderBy(m => m.SliceIndex))
        {
            var truth = anyMasks[predicted.SliceIndex];
            if (predicted.Values.Length != truth.Length)
                throw new Ich.Core.Errors.ModelInputException(
                    $"scan {scan.ScanId} slice {scan.Slices[predicted.SliceIndex].SliceId}: mask has {truth.Length} pixels, the slice {predicted.Values.Length}");
            var pixels = truth.Count(v => v);
            scores.Add(new SaliencyScore(scan.ScanId, scan.Slices[predicted.SliceIndex].SliceId, predicted.SliceIndex, 0,
                prediction.Probabilities[predicted.SliceIndex * HemorrhageClasses.Count], pixels, (double)pixels / truth.Length,
                SaliencyAgreement.PointingHit(predicted.Values, truth), SaliencyAgreement.MassInside(predicted.Values, truth), ExplanationKind.PredictedMask));
        }
        return scores;
    }

    /// <summary>The CSV / JSON name of an explanation kind.</summary>
    public static string Name(ExplanationKind kind) => kind == ExplanationKind.GradCam ? "gradcam" : "predicted_mask";

    public static string Csv(IEnumerable<SaliencyScore> scores)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("scan_id,slice_id,slice_index,class,probability,mask_pixels,mask_fraction,pointing_hit,mass_inside,explanation\n");
        foreach (var s in scores)
            sb.Append(s.ScanId).Append(',').Append(s.SliceId).Append(',').Append(s.SliceIndex.ToString(inv)).Append(',')
              .Append(HemorrhageClasses.Names[s.ClassIndex]).Append(',').Append(s.Probability.ToString("0.####", inv)).Append(',')
              .Append(s.MaskPixels.ToString(inv)).Append(',').Append(s.MaskFraction.ToString("0.######", inv)).Append(',')
              .Append(s.PointingHit ? "1" : "0").Append(',').Append(double.IsNaN(s.MassInside) ? "" : s.MassInside.ToString("0.####", inv)).Append(',')
              .Append(Name(s.Explanation)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// Per class: maps, pointing-game accuracy, mean mass inside, and the chance level (mean mask fraction) — a table for
    /// Grad-CAM and, when the model has decoders, one for the predicted mask.
    /// </summary>
    /// <param name="hasDecoders">Whether the model has segmentation decoders (says why a predicted-mask table is missing).</param>
    public static string Markdown(IReadOnlyList<SaliencyScore> scores, string modelName, bool hasDecoders = false)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var sb = new StringBuilder("# Grad-CAM against bleed masks\n\n");
        sb.Append("Model: ").Append(modelName).Append(". Every slice with a non-empty mask, for `any` (union of subtypes) and each subtype present; ")
          .Append("chance = mean mask area fraction (the expected score of a uniform or randomly placed map).\n\n");
        AppendTable(sb, scores.Where(s => s.Explanation == ExplanationKind.GradCam).ToList());
        var predicted = scores.Where(s => s.Explanation == ExplanationKind.PredictedMask).ToList();
        sb.Append("\n## Predicted mask (segmentation head) against bleed masks\n\n");
        if (predicted.Count == 0)
            sb.Append(hasDecoders ? "No slice with a non-empty mask: no predicted mask to score.\n" : "The model has no segmentation decoders: no predicted mask to score.\n");
        else
        {
            sb.Append("The same measures for the segmentation head's predicted mask (blood probability per pixel, class-agnostic), ")
              .Append("against the union mask of every slice scored for `any` above.\n\n");
            AppendTable(sb, predicted);
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>explain_eval.json</c>: <c>model</c>, <c>hasDecoders</c>, and per explanation (<c>gradCam</c>, <c>predictedMask</c>;
    /// null when nothing was scored) its <see cref="ExplanationSummary"/> (docs/predict.md).
    /// </summary>
    public static string Json(IReadOnlyList<SaliencyScore> scores, string modelName, bool hasDecoders) =>
        JsonSerializer.Serialize(new ExplainEvalReport(modelName, hasDecoders, Summarize(scores, ExplanationKind.GradCam),
            Summarize(scores, ExplanationKind.PredictedMask)), JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>The summary of one explanation: overall and per class (null when there are no scores of that kind).</summary>
    public static ExplanationSummary? Summarize(IReadOnlyList<SaliencyScore> scores, ExplanationKind kind)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var list = scores.Where(s => s.Explanation == kind).ToList();
        if (list.Count == 0) return null;
        return new ExplanationSummary(Measure(list), list.GroupBy(s => s.ClassIndex).OrderBy(g => g.Key)
            .ToDictionary(g => HemorrhageClasses.Names[g.Key], g => Measure(g.ToList())));
    }

    private static ExplanationMeasures Measure(List<SaliencyScore> list)
    {
        var mass = list.Where(s => !double.IsNaN(s.MassInside)).Select(s => s.MassInside).ToList();
        return new ExplanationMeasures(list.Count, list.Average(s => s.PointingHit ? 1.0 : 0.0), mass.Count == 0 ? null : mass.Average(),
            list.Average(s => s.MaskFraction));
    }

    private static void AppendTable(StringBuilder sb, List<SaliencyScore> scores)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("| class | maps | pointing game | mass inside mask (mean) | chance |\n|---|---:|---:|---:|---:|\n");
        if (scores.Count == 0) return;
        var groups = scores.GroupBy(s => s.ClassIndex).OrderBy(g => g.Key).Select(g => (Label: HemorrhageClasses.Names[g.Key], Measures: Measure(g.ToList())))
            .Append(("**all**", Measure(scores)));
        foreach (var (label, m) in groups)
            sb.Append("| ").Append(label).Append(" | ").Append(m.Maps.ToString(inv)).Append(" | ").Append(m.PointingGame.ToString("0.000", inv)).Append(" | ")
              .Append((m.MassInside ?? double.NaN).ToString("0.000", inv)).Append(" | ").Append(m.Chance.ToString("0.000", inv)).Append(" |\n");
    }
}

/// <summary>Measures of one explanation over a set of maps (JSON: <c>maps</c>, <c>pointingGame</c>, <c>massInside</c>, <c>chance</c>).</summary>
/// <param name="Maps">Maps scored.</param>
/// <param name="PointingGame">Share of maps whose maximum lies inside the mask.</param>
/// <param name="MassInside">Mean share of the map's mass inside the mask (null when no map had any mass).</param>
/// <param name="Chance">Mean mask area fraction: what a uniform or randomly placed map scores on both measures.</param>
public sealed record ExplanationMeasures(int Maps, double PointingGame, double? MassInside, double Chance);

/// <summary>One explanation's measures overall (JSON <c>all</c>) and per class name (JSON <c>perClass</c>).</summary>
public sealed record ExplanationSummary(ExplanationMeasures All, IReadOnlyDictionary<string, ExplanationMeasures> PerClass);

/// <summary>The content of <c>explain_eval.json</c>.</summary>
public sealed record ExplainEvalReport(string Model, bool HasDecoders, ExplanationSummary? GradCam, ExplanationSummary? PredictedMask);
