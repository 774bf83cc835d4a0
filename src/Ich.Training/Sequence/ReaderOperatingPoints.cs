using Ich.Core;
using Ich.Metrics;

namespace Ich.Training.Sequence;

/// <summary>
/// One class's reader-facing decision: flag it at <see cref="Threshold"/> (scan maximum ≥ threshold), or show its
/// probability without a flag (<see cref="Flag"/> false, <see cref="Threshold"/> null), with what the choice
/// achieved out of fold and the rule in words.
/// </summary>
public sealed record ReaderOperatingPoint(string Class, bool Flag, double? Threshold, int Positives, int Negatives,
    double? Sensitivity, double? Specificity, string Rule);

/// <summary>
/// Operating points a reader can trust (issue 12, item 6), chosen on out-of-fold scan-level predictions (the
/// scan maximum of each class over its slices; a scan is positive for a class when any slice is):
/// <list type="bullet">
/// <item><c>any</c>: the highest threshold with OOF scan sensitivity ≥ <c>anySensitivity</c> (0.95); its
/// specificity is reported, whatever it is. Without positive scans there is nothing to calibrate: no flag.</item>
/// <item>each subtype: the lowest threshold whose OOF scan specificity stays ≥ <c>subtypeSpecificity</c> (0.90),
/// i.e. the most sensitive flag that keeps false alarms rare; when that flag's sensitivity is below
/// <c>minUsefulSensitivity</c> (0.5), or the class has no positive or no negative scan, the subtype is not flagged
/// and only its probability is shown.</item>
/// </list>
/// Thresholds are actual score values (a scan is flagged when its maximum is ≥ the threshold).
/// </summary>
public static class ReaderOperatingPoints
{
    public const double DefaultAnySensitivity = 0.95;
    public const double DefaultSubtypeSpecificity = 0.90;
    public const double DefaultMinUsefulSensitivity = 0.5;

    /// <param name="scans">Per scan: probabilities and labels, both [slices, 6] row-major in class order.</param>
    public static IReadOnlyList<ReaderOperatingPoint> Choose(IReadOnlyList<(float[] Probabilities, float[] Labels)> scans,
        double anySensitivity = DefaultAnySensitivity, double subtypeSpecificity = DefaultSubtypeSpecificity,
        double minUsefulSensitivity = DefaultMinUsefulSensitivity)
    {
        if (scans.Count == 0) throw new ArgumentException("no out-of-fold scans to choose operating points on", nameof(scans));
        var result = new List<ReaderOperatingPoint>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var name = HemorrhageClasses.Names[c];
            var scores = scans.Select(s => (double)ScanMax(s.Probabilities, c)).ToArray();
            var truth = scans.Select(s => ScanMax(s.Labels, c) >= 0.5f).ToArray();
            int pos = truth.Count(t => t), neg = truth.Length - pos;
            if (c == 0)
            {
                var op = OperatingPoints.AtTargetSensitivity(scores, truth, anySensitivity);
                result.Add(op is null
                    ? new ReaderOperatingPoint(name, false, null, pos, neg, null, null, "no positive scan out of fold: no flag")
                    : new ReaderOperatingPoint(name, true, op.Threshold, pos, neg, op.Sensitivity, op.Specificity,
                        $"highest threshold with out-of-fold scan sensitivity >= {anySensitivity:0.###}"));
                continue;
            }
            if (pos == 0 || neg == 0)
            {
                result.Add(new ReaderOperatingPoint(name, false, null, pos, neg, null, null,
                    $"no {(pos == 0 ? "positive" : "negative")} scan out of fold: probability shown, no flag"));
                continue;
            }
            var chosen = OperatingPoints.AtTargetSpecificity(scores, truth, subtypeSpecificity);
            if (chosen is null || chosen.Sensitivity < minUsefulSensitivity)
            {
                result.Add(new ReaderOperatingPoint(name, false, null, pos, neg, chosen?.Sensitivity, chosen?.Specificity,
                    $"at out-of-fold scan specificity >= {subtypeSpecificity:0.###} the sensitivity is " +
                    (chosen is null ? "zero" : $"{chosen.Sensitivity:0.###}") + $" (< {minUsefulSensitivity:0.###}): probability shown, no flag"));
                continue;
            }
            result.Add(new ReaderOperatingPoint(name, true, chosen.Threshold, pos, neg, chosen.Sensitivity, chosen.Specificity,
                $"lowest threshold with out-of-fold scan specificity >= {subtypeSpecificity:0.###}"));
        }
        return result;
    }

    private static float ScanMax(float[] perSlice, int c)
    {
        var m = float.NegativeInfinity;
        for (var i = c; i < perSlice.Length; i += HemorrhageClasses.Count) m = Math.Max(m, perSlice[i]);
        return m;
    }
}
