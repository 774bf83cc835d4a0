using static Ich.Dicom.Series.SeriesGeometryBuilder;

namespace Ich.Dicom.Series;

/// <summary>
/// Decides which series may be a study's scan and picks one per study (docs/series-selection.md):
/// eligible = CT image, not a localizer, at least <see cref="SeriesSelectionRules.MinSlices"/> slices,
/// axial within <see cref="SeriesSelectionRules.MaxObliquityDeg"/>, soft-tissue kernel. Among eligible
/// series: an override UID wins; else the best head coverage (ties within the tolerance), then fewer
/// gaps, then thickness closest to the preferred, then more slices, then the smallest SeriesInstanceUID.
/// </summary>
public static class SeriesSelector
{
    /// <summary>The reason a series cannot be chosen, or null when it can.</summary>
    public static string? IneligibleReason(SeriesReport s, SeriesSelectionRules rules)
    {
        if (!string.Equals(s.Modality, "CT", StringComparison.OrdinalIgnoreCase))
            return $"modality {s.Modality ?? "(none)"}, not CT";
        if (s.Problems.FirstOrDefault(p => p.Code is SeriesProblemCodes.NotImage or SeriesProblemCodes.MultiFrame) is { } p)
            return p.Message;
        if (SeriesSelectionRules.AnyMatch(rules.LocalizerDescriptionPatterns, s.SeriesDescription, out _))
            return $"localizer series (description '{s.SeriesDescription}')";
        var n = s.Geometry.Slices.Count;
        if (n == 0)
            return s.Excluded.Count > 0 && s.Excluded.All(e => e.Reason.StartsWith("localizer", StringComparison.Ordinal))
                ? "only localizer images"
                : "no usable slice" + (s.Excluded.GroupBy(e => e.Reason).OrderByDescending(g => g.Count()).FirstOrDefault() is { } g
                    ? $" (e.g. {g.Count()} file(s): {g.Key})" : "");
        if (n == 1) return "single slice";
        if (n < rules.MinSlices) return $"{n} slices, fewer than the {rules.MinSlices} required";
        if (s.Geometry.ObliquityDeg is { } obliquity && obliquity > rules.MaxObliquityDeg)
            return $"not axial: slice normal {F(obliquity)}° from the head–feet axis (limit {F(rules.MaxObliquityDeg)}°)";
        if (SeriesSelectionRules.AnyMatch(rules.SharpKernelPatterns, s.ConvolutionKernel, out _))
            return $"bone/sharp reconstruction kernel '{s.ConvolutionKernel}'";
        if (SeriesSelectionRules.AnyMatch(rules.SharpDescriptionPatterns, s.SeriesDescription, out _))
            return $"bone/lung reconstruction (description '{s.SeriesDescription}')";
        return null;
    }

    /// <summary>Marks eligibility and the selected series of one study; returns the updated study.</summary>
    public static StudyReport Select(string studyUid, string? patientId, IReadOnlyList<SeriesReport> series, SeriesSelectionRules rules)
    {
        var marked = series.Select(s =>
        {
            var why = IneligibleReason(s, rules);
            return s with { Eligible = why is null, IneligibleReason = why, Selected = false, Reason = why is null ? "" : $"not eligible: {why}" };
        }).ToList();

        var eligible = marked.Where(s => s.Eligible).ToList();
        if (eligible.Count == 0)
        {
            var reason = marked.Count == 0 ? "no series" : "no eligible series: " + string.Join("; ", marked.Select(s => $"{Name(s)}: {s.IneligibleReason}"));
            return new StudyReport { StudyInstanceUid = studyUid, PatientId = patientId, Series = marked, SelectionReason = reason };
        }

        SeriesReport winner;
        string winReason;
        var overridden = eligible.Where(s => rules.OverrideSeriesInstanceUids.Contains(s.SeriesInstanceUid)).ToList();
        if (overridden.Count > 0)
        {
            winner = overridden.OrderBy(s => s.SeriesInstanceUid, StringComparer.Ordinal).First();
            winReason = "selected by override (overrideSeriesInstanceUids)";
        }
        else
        {
            var bestCoverage = eligible.Max(s => s.Geometry.CoverageMm);
            var ranked = eligible
                .OrderByDescending(s => s.Geometry.CoverageMm >= bestCoverage - rules.CoverageToleranceMm)
                .ThenBy(s => s.Geometry.Gaps.Count)
                .ThenBy(s => Math.Abs((s.Geometry.ThicknessMm ?? double.MaxValue / 2) - rules.PreferredThicknessMm))
                .ThenByDescending(s => s.Geometry.Slices.Count)
                .ThenBy(s => s.SeriesInstanceUid, StringComparer.Ordinal)
                .ToList();
            winner = ranked[0];
            winReason = $"axial soft-tissue series covering {F(winner.Geometry.CoverageMm)} mm, " +
                        $"{winner.Geometry.Slices.Count} slices, thickness {Mm(winner.Geometry.ThicknessMm)}" +
                        (eligible.Count > 1 ? $"; best of {eligible.Count} eligible series (coverage within {F(rules.CoverageToleranceMm)} mm of the best, fewest gaps, thickness closest to {F(rules.PreferredThicknessMm)} mm)" : "");
        }

        var result = marked.Select(s =>
        {
            if (ReferenceEquals(s, winner)) return s with { Selected = true, Reason = winReason };
            if (!s.Eligible) return s;
            return s with { Reason = $"eligible, not chosen: {Name(winner)} preferred ({WhyLoser(s, winner, rules)})" };
        }).ToList();
        return new StudyReport { StudyInstanceUid = studyUid, PatientId = patientId, Series = result, SelectionReason = $"{Name(winner)}: {winReason}" };
    }

    private static string WhyLoser(SeriesReport loser, SeriesReport winner, SeriesSelectionRules rules)
    {
        if (rules.OverrideSeriesInstanceUids.Contains(winner.SeriesInstanceUid)) return "override";
        var lg = loser.Geometry;
        var wg = winner.Geometry;
        if (lg.CoverageMm < wg.CoverageMm - rules.CoverageToleranceMm)
            return $"covers {F(lg.CoverageMm)} mm vs {F(wg.CoverageMm)} mm";
        if (lg.Gaps.Count > wg.Gaps.Count) return $"{lg.Gaps.Count} gap(s) vs {wg.Gaps.Count}";
        var lt = Math.Abs((lg.ThicknessMm ?? double.MaxValue / 2) - rules.PreferredThicknessMm);
        var wt = Math.Abs((wg.ThicknessMm ?? double.MaxValue / 2) - rules.PreferredThicknessMm);
        if (lt > wt) return $"thickness {Mm(lg.ThicknessMm)} further from {F(rules.PreferredThicknessMm)} mm than {Mm(wg.ThicknessMm)}";
        if (lg.Slices.Count < wg.Slices.Count) return $"{lg.Slices.Count} slices vs {wg.Slices.Count}";
        return "equal on every criterion; the smaller SeriesInstanceUID wins";
    }

    private static string Mm(double? v) => v is { } x ? $"{F(x)} mm" : "unknown";

    internal static string Name(SeriesReport s) =>
        s.SeriesNumber is { } n ? $"series {n} ({s.SeriesInstanceUid})" : $"series {s.SeriesInstanceUid}";
}
