using System.Globalization;
using System.Text;
using Ich.Core;
using Ich.Core.Scans;
using Ich.Inference.Pipeline;
using Ich.Model.Explain;

namespace Ich.Inference.Explain;

/// <summary>One evaluated map: a slice with a lesion of this class, its map against the class's mask.</summary>
public sealed record SaliencyScore(string ScanId, string SliceId, int SliceIndex, int ClassIndex, float Probability, int MaskPixels,
    double MaskFraction, bool PointingHit, double MassInside);

/// <summary>
/// Measures how well the ensemble's Grad-CAM points at the bleed: for every slice whose mask is non-empty,
/// for "any" (the union mask) and each subtype present, the pointing game (map maximum inside the mask) and
/// the share of the map's mass inside the mask — each next to its chance level, the mask's area fraction
/// (what a uniform or randomly placed map would score).
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
        return scores;
    }

    public static string Csv(IEnumerable<SaliencyScore> scores)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("scan_id,slice_id,slice_index,class,probability,mask_pixels,mask_fraction,pointing_hit,mass_inside\n");
        foreach (var s in scores)
            sb.Append(s.ScanId).Append(',').Append(s.SliceId).Append(',').Append(s.SliceIndex.ToString(inv)).Append(',')
              .Append(HemorrhageClasses.Names[s.ClassIndex]).Append(',').Append(s.Probability.ToString("0.####", inv)).Append(',')
              .Append(s.MaskPixels.ToString(inv)).Append(',').Append(s.MaskFraction.ToString("0.######", inv)).Append(',')
              .Append(s.PointingHit ? "1" : "0").Append(',').Append(double.IsNaN(s.MassInside) ? "" : s.MassInside.ToString("0.####", inv)).Append('\n');
        return sb.ToString();
    }

    /// <summary>Per class: maps, pointing-game accuracy, mean mass inside, and the chance level (mean mask fraction).</summary>
    public static string Markdown(IReadOnlyList<SaliencyScore> scores, string modelName)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("# Grad-CAM against bleed masks\n\n");
        sb.Append("Model: ").Append(modelName).Append(". Every slice with a non-empty mask, for `any` (union of subtypes) and each subtype present; ")
          .Append("chance = mean mask area fraction (the expected score of a uniform or randomly placed map).\n\n");
        sb.Append("| class | maps | pointing game | mass inside mask (mean) | chance |\n|---|---:|---:|---:|---:|\n");
        foreach (var g in scores.GroupBy(s => s.ClassIndex).OrderBy(g => g.Key).Append(scores.GroupBy(_ => -1).FirstOrDefault()).Where(g => g is not null))
        {
            var list = g!.ToList();
            var key = g!.Key;
            var mass = list.Where(s => !double.IsNaN(s.MassInside)).Select(s => s.MassInside).DefaultIfEmpty(double.NaN).Average();
            sb.Append("| ").Append(key < 0 ? "**all**" : HemorrhageClasses.Names[key]).Append(" | ").Append(list.Count.ToString(inv)).Append(" | ")
              .Append(list.Average(s => s.PointingHit ? 1.0 : 0.0).ToString("0.000", inv)).Append(" | ")
              .Append(mass.ToString("0.000", inv)).Append(" | ").Append(list.Average(s => s.MaskFraction).ToString("0.000", inv)).Append(" |\n");
        }
        return sb.ToString();
    }
}
