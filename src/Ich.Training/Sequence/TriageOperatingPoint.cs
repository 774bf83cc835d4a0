using Ich.Core;
using Ich.Metrics;

namespace Ich.Training.Sequence;

/// <summary>One class's chosen scan-level threshold and what it achieved out of fold.</summary>
public sealed record ClassOperatingPoint(string Class, double Threshold, int Positives, int Negatives, double? Sensitivity, double? Specificity, string Rule);

/// <summary>
/// The documented operating point of a trained model: per class, on the out-of-fold ensemble's scan
/// maxima, the highest threshold whose scan-level sensitivity reaches the target (triage favours
/// sensitivity). A class without positive scans keeps 0.5, said so in its rule.
/// </summary>
public static class TriageOperatingPoint
{
    public static IReadOnlyList<ClassOperatingPoint> Choose(IReadOnlyList<(float[] Probabilities, float[] Labels)> scans, double targetSensitivity)
    {
        var result = new List<ClassOperatingPoint>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var scores = scans.Select(s => (double)ScanLevel.Max(s.Probabilities, c)).ToArray();
            var truth = scans.Select(s => ScanLevel.Max(s.Labels, c) >= 0.5f).ToArray();
            var chosen = OperatingPoints.AtTargetSensitivity(scores, truth, targetSensitivity);
            var rule = $"highest threshold with out-of-fold scan-level sensitivity >= {targetSensitivity:0.##}";
            if (chosen is null)
            {
                chosen = OperatingPoints.AtThreshold(scores, truth, 0.5);
                rule = "no positive scan out of fold: default 0.5";
            }
            // Thresholds must lie in (0, 1) for model.json.
            var threshold = Math.Clamp(chosen.Threshold, 1e-6, 1 - 1e-6);
            result.Add(new ClassOperatingPoint(HemorrhageClasses.Names[c], threshold, chosen.TruePositives + chosen.FalseNegatives,
                chosen.TrueNegatives + chosen.FalsePositives, chosen.Sensitivity, chosen.Specificity, rule));
        }
        return result;
    }
}
