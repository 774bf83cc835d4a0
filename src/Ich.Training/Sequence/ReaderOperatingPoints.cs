using Ich.Core;
using Ich.Metrics;

namespace Ich.Training.Sequence;

/// <summary>
/// One class's reader-facing decision: flag it at <see cref="Threshold"/> (scan maximum ≥ threshold), or show its
/// probability without a flag (<see cref="Flag"/> false, <see cref="Threshold"/> null), with what the choice
/// achieved out of fold, the rule in words and the out-of-fold scans it was chosen on (<see cref="CalibratedOn"/>).
/// </summary>
public sealed record ReaderOperatingPoint(string Class, bool Flag, double? Threshold, int Positives, int Negatives,
    double? Sensitivity, double? Specificity, string Rule, string CalibratedOn = ReaderOperatingPoints.AllScans);

/// <summary>
/// Which out-of-fold scans choose the reader operating points. A model is deployed on real CT, and synthetic scans
/// can be harder (or easier) at scan level than real ones, so a threshold fitted to the pooled set can miss its
/// promise on the scans that matter: each class is calibrated on the scans of <see cref="Datasets"/> alone when
/// they hold at least <see cref="MinScans"/> positive and <see cref="MinScans"/> negative scans of that class;
/// otherwise on every out-of-fold scan, and the point says so (<see cref="ReaderOperatingPoint.CalibratedOn"/>).
/// </summary>
public sealed record ReaderCalibration
{
    /// <summary>Dataset kinds (as in the OOF files: <c>physionet</c>, <c>rsna</c>, ...) to calibrate on.</summary>
    public List<string> Datasets { get; init; } = [];
    /// <summary>Fewest positive and fewest negative scans of a class the datasets must hold to calibrate it alone.</summary>
    public int MinScans { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad key.</summary>
    public void Validate()
    {
        // JSON may set the list to null explicitly ("datasets": null): a config error, not a crash.
        if (Datasets is null || Datasets.Count == 0 || Datasets.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("operatingPoints.datasets must name at least one dataset kind");
        if (MinScans < 1) throw new ArgumentException($"operatingPoints.minScans must be >= 1 (got {MinScans})");
    }
}

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
    /// <summary><see cref="ReaderOperatingPoint.CalibratedOn"/> when every out-of-fold scan chose the point.</summary>
    public const string AllScans = "all";
    public const double DefaultAnySensitivity = 0.95;
    public const double DefaultSubtypeSpecificity = 0.90;
    public const double DefaultMinUsefulSensitivity = 0.5;

    /// <param name="scans">Per scan: probabilities and labels, both [slices, 6] row-major in class order.</param>
    public static IReadOnlyList<ReaderOperatingPoint> Choose(IReadOnlyList<(float[] Probabilities, float[] Labels)> scans,
        double anySensitivity = DefaultAnySensitivity, double subtypeSpecificity = DefaultSubtypeSpecificity,
        double minUsefulSensitivity = DefaultMinUsefulSensitivity)
    {
        if (scans.Count == 0) throw new ArgumentException("no out-of-fold scans to choose operating points on", nameof(scans));
        return Enumerable.Range(0, HemorrhageClasses.Count)
            .Select(c => ChooseClass(c, scans, anySensitivity, subtypeSpecificity, minUsefulSensitivity)).ToList();
    }

    /// <summary>
    /// As <see cref="Choose(IReadOnlyList{ValueTuple{float[], float[]}}, double, double, double)"/>, each class on the scans
    /// <paramref name="calibration"/> names when they are enough (null: on all scans).
    /// </summary>
    /// <param name="scans">Per scan: its dataset kind, probabilities and labels ([slices, 6] row-major).</param>
    public static IReadOnlyList<ReaderOperatingPoint> Choose(IReadOnlyList<(string Dataset, float[] Probabilities, float[] Labels)> scans,
        ReaderCalibration? calibration)
    {
        if (scans.Count == 0) throw new ArgumentException("no out-of-fold scans to choose operating points on", nameof(scans));
        var all = scans.Select(s => (s.Probabilities, s.Labels)).ToList();
        if (calibration is null) return Choose(all);
        calibration.Validate();
        var names = calibration.Datasets.Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names.Where(n => !scans.Any(s => s.Dataset == n)))
            throw new ArgumentException($"operatingPoints.datasets: '{name}' has no out-of-fold scan " +
                                        $"(the run has: {string.Join(", ", scans.Select(s => s.Dataset).Distinct().Order(StringComparer.Ordinal))})");
        var chosen = scans.Where(s => names.Contains(s.Dataset)).Select(s => (s.Probabilities, s.Labels)).ToList();
        var label = string.Join("+", names);
        var result = new List<ReaderOperatingPoint>();
        for (var c = 0; c < HemorrhageClasses.Count; c++)
        {
            var positives = chosen.Count(s => ScanLevel.Max(s.Labels, c) >= 0.5f);
            var negatives = chosen.Count - positives;
            if (positives >= calibration.MinScans && negatives >= calibration.MinScans)
            {
                result.Add(ChooseClass(c, chosen, DefaultAnySensitivity, DefaultSubtypeSpecificity, DefaultMinUsefulSensitivity) with
                    { CalibratedOn = $"{label} ({chosen.Count} scans)" });
                continue;
            }
            var point = ChooseClass(c, all, DefaultAnySensitivity, DefaultSubtypeSpecificity, DefaultMinUsefulSensitivity);
            result.Add(point with
            {
                CalibratedOn = $"{AllScans} ({all.Count} scans): {label} has {positives} positive and {negatives} negative scans " +
                               $"of this class (< {calibration.MinScans})",
            });
        }
        return result;
    }

    private static ReaderOperatingPoint ChooseClass(int c, IReadOnlyList<(float[] Probabilities, float[] Labels)> scans,
        double anySensitivity, double subtypeSpecificity, double minUsefulSensitivity)
    {
        var name = HemorrhageClasses.Names[c];
        var scores = scans.Select(s => (double)ScanLevel.Max(s.Probabilities, c)).ToArray();
        var truth = scans.Select(s => ScanLevel.Max(s.Labels, c) >= 0.5f).ToArray();
        int pos = truth.Count(t => t), neg = truth.Length - pos;
        if (c == 0)
        {
            var op = OperatingPoints.AtTargetSensitivity(scores, truth, anySensitivity);
            return op is null
                ? new ReaderOperatingPoint(name, false, null, pos, neg, null, null, "no positive scan out of fold: no flag")
                : new ReaderOperatingPoint(name, true, op.Threshold, pos, neg, op.Sensitivity, op.Specificity,
                    $"highest threshold with out-of-fold scan sensitivity >= {anySensitivity:0.###}");
        }
        if (pos == 0 || neg == 0)
            return new ReaderOperatingPoint(name, false, null, pos, neg, null, null,
                $"no {(pos == 0 ? "positive" : "negative")} scan out of fold: probability shown, no flag");
        var chosen = OperatingPoints.AtTargetSpecificity(scores, truth, subtypeSpecificity);
        if (chosen is null || chosen.Sensitivity < minUsefulSensitivity)
            return new ReaderOperatingPoint(name, false, null, pos, neg, chosen?.Sensitivity, chosen?.Specificity,
                $"at out-of-fold scan specificity >= {subtypeSpecificity:0.###} the sensitivity is " +
                (chosen is null ? "zero" : $"{chosen.Sensitivity:0.###}") + $" (< {minUsefulSensitivity:0.###}): probability shown, no flag");
        return new ReaderOperatingPoint(name, true, chosen.Threshold, pos, neg, chosen.Sensitivity, chosen.Specificity,
            $"lowest threshold with out-of-fold scan specificity >= {subtypeSpecificity:0.###}");
    }
}
