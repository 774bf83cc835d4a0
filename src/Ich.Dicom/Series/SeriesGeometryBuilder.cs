using System.Globalization;

namespace Ich.Dicom.Series;

/// <summary>
/// Orders the slices of one series by ImagePositionPatient projected on the slice normal (never by file
/// name or InstanceNumber), removes duplicates deterministically, and measures spacing, thickness, tilt
/// and gaps. The rules are documented in docs/series-selection.md.
/// </summary>
public static class SeriesGeometryBuilder
{
    /// <summary>Two slices closer than this along the normal occupy the same position (duplicates).</summary>
    public const double SamePositionToleranceMm = 0.01;

    /// <summary>A step larger than this factor times the expected step is a gap.</summary>
    public const double GapFactor = 1.5;

    /// <summary>Steps deviating from the median by more than this fraction make the spacing non-uniform.</summary>
    public const double NonUniformFraction = 0.1;

    /// <summary>GantryDetectorTilt differing from the geometric tilt by more than this is reported.</summary>
    public const double TiltTagToleranceDeg = 1.0;

    /// <summary>Builds the ordered geometry of the given headers (all of one series).</summary>
    public static SeriesGeometry Build(IEnumerable<SliceHeader> headers)
    {
        var excluded = new List<ExcludedFile>();
        var problems = new List<SeriesProblem>();

        // 1. Slices without identity or geometry cannot be placed.
        var placed = new List<Placed>();
        foreach (var h in headers.OrderBy(h => h.Path, StringComparer.Ordinal))
        {
            if (h.SopInstanceUid is null) { excluded.Add(new(h.Path, "no SOPInstanceUID")); continue; }
            if (h.Position is null) { excluded.Add(new(h.Path, "no usable ImagePositionPatient")); continue; }
            var orientation = SliceOrientation.TryCreate(h.OrientationCosines, out var why);
            if (orientation is null) { excluded.Add(new(h.Path, why!)); continue; }
            placed.Add(new Placed(h, orientation));
        }
        if (excluded.Count > 0)
            problems.Add(new(SeriesProblemCodes.MissingGeometry,
                $"{excluded.Count} file(s) without SOPInstanceUID, ImagePositionPatient or ImageOrientationPatient left out"));

        // 2. The same SOP instance twice (copied files): keep the first path in ordinal order.
        var unique = new List<Placed>();
        var copies = 0;
        foreach (var group in placed.GroupBy(p => p.Header.SopInstanceUid, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(p => p.Header.Path, StringComparer.Ordinal).ToList();
            unique.Add(ordered[0]);
            foreach (var dup in ordered.Skip(1))
            {
                excluded.Add(new(dup.Header.Path, $"duplicate of {ordered[0].Header.Path} (same SOPInstanceUID)"));
                copies++;
            }
        }
        if (copies > 0)
            problems.Add(new(SeriesProblemCodes.Duplicate, $"{copies} file(s) repeat a SOPInstanceUID already present; one copy kept"));

        // 3. One orientation and one image size per series: keep the largest group, report the rest.
        var kept = KeepMajority(unique, p => p.Orientation, (a, b) => a.SameAs(b), excluded, problems,
            SeriesProblemCodes.MixedOrientation, o => $"orientation {o}");
        kept = KeepMajority(kept, p => (p.Header.Rows, p.Header.Columns), (a, b) => a == b, excluded, problems,
            SeriesProblemCodes.MixedSize, s => $"size {s.Columns}x{s.Rows}");

        if (kept.Count == 0)
        {
            problems.Add(new(SeriesProblemCodes.NoSlices, "no slice could be placed"));
            return new SeriesGeometry { Slices = [], Problems = problems, Excluded = excluded };
        }

        // 4. Order by position along the normal; ties broken by SOPInstanceUID so the order never depends on file order.
        var orientation0 = kept[0].Orientation;
        var normal = orientation0.Normal;
        var sorted = kept
            .Select(p => (p.Header, Z: p.Header.Position!.Value.Dot(normal)))
            .OrderBy(p => p.Z).ThenBy(p => p.Header.SopInstanceUid, StringComparer.Ordinal)
            .ToList();

        // 5. Different instances at the same position: keep the lowest InstanceNumber (absent last), then the smallest UID.
        var distinct = new List<(SliceHeader Header, double Z)>();
        var samePosition = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1].Z - sorted[i].Z < SamePositionToleranceMm) j++;
            var cluster = sorted.GetRange(i, j - i + 1)
                .OrderBy(p => p.Header.InstanceNumber ?? int.MaxValue)
                .ThenBy(p => p.Header.SopInstanceUid, StringComparer.Ordinal).ToList();
            distinct.Add(cluster[0]);
            foreach (var dup in cluster.Skip(1))
            {
                excluded.Add(new(dup.Header.Path,
                    $"same position as {cluster[0].Header.SopInstanceUid} ({F(dup.Z)} mm along the normal); duplicate slice"));
                samePosition++;
            }
            i = j + 1;
        }
        if (samePosition > 0)
            problems.Add(new(SeriesProblemCodes.Duplicate, $"{samePosition} slice(s) at an occupied position left out (lowest InstanceNumber kept)"));

        var slices = new List<OrderedSlice>(distinct.Count);
        for (var i = 0; i < distinct.Count; i++)
            slices.Add(new OrderedSlice(distinct[i].Header, i, distinct[i].Z, i == 0 ? null : distinct[i].Z - distinct[i - 1].Z));

        return Measure(slices, orientation0, problems, excluded);
    }

    private static SeriesGeometry Measure(List<OrderedSlice> slices, SliceOrientation orientation,
        List<SeriesProblem> problems, List<ExcludedFile> excluded)
    {
        var steps = slices.Skip(1).Select(s => s.StepFromPreviousMm!.Value).ToArray();
        double? spacing = steps.Length > 0 ? Median(steps) : null;

        // The most common SliceThickness (ties → the thinner), so a 4 mm + 7 mm series reports a real value, not 5.5.
        var tagThicknesses = slices.Select(s => s.Header.SliceThicknessMm).OfType<double>().Where(t => t > 0).ToArray();
        double? thickness = tagThicknesses.Length > 0
            ? tagThicknesses.GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key
            : spacing;
        var thicknessSource = tagThicknesses.Length > 0 ? "tag" : spacing is null ? null : "spacing";

        double? tableIncrement = null;
        double? tilt = null;
        if (slices.Count >= 2)
        {
            tableIncrement = Median(Enumerable.Range(1, slices.Count - 1)
                .Select(i => (slices[i].Header.Position!.Value - slices[i - 1].Header.Position!.Value).Length).ToArray());
            var stack = slices[^1].Header.Position!.Value - slices[0].Header.Position!.Value;
            if (stack.Length > 1e-6)
            {
                var angle = orientation.Normal.AngleDegTo(stack);
                tilt = angle > 90 ? 180 - angle : angle;
            }
        }
        else
        {
            problems.Add(new(SeriesProblemCodes.SingleSlice, "only one slice: no spacing, not a scan"));
        }

        var gaps = new List<SliceGap>();
        if (spacing is { } median)
        {
            for (var i = 1; i < slices.Count; i++)
            {
                var local = Math.Max(slices[i - 1].Header.SliceThicknessMm ?? 0, slices[i].Header.SliceThicknessMm ?? 0);
                var expected = Math.Max(median, local);
                var step = slices[i].StepFromPreviousMm!.Value;
                if (step > GapFactor * expected)
                    gaps.Add(new SliceGap(slices[i - 1].SopInstanceUid, slices[i].SopInstanceUid, step, expected));
            }
            if (gaps.Count > 0)
                problems.Add(new(SeriesProblemCodes.Gap, $"{gaps.Count} gap(s): " + string.Join("; ",
                    gaps.Select(g => $"{F(g.StepMm)} mm after {g.AfterSopInstanceUid} (expected ≤ {F(GapFactor * g.ExpectedMm)} mm)"))));
            // Uniformity is judged without the gaps (already reported) so one missing slice is not reported twice.
            var gapSteps = gaps.Select(g => g.StepMm).ToHashSet();
            var regular = steps.Where(st => !gapSteps.Contains(st)).DefaultIfEmpty(median).ToArray();
            var min = regular.Min();
            var max = regular.Max();
            if (max - median > NonUniformFraction * median || median - min > NonUniformFraction * median)
                problems.Add(new(SeriesProblemCodes.NonUniformSpacing, $"slice steps range from {F(min)} to {F(max)} mm (median {F(median)} mm)"));
        }

        var tiltTag = slices[0].Header.GantryTiltTagDeg;
        if (tiltTag is { } tag && tilt is { } geometric && Math.Abs(Math.Abs(tag) - geometric) > TiltTagToleranceDeg)
            problems.Add(new(SeriesProblemCodes.TiltTagMismatch,
                $"GantryDetectorTilt says {F(tag)}°, positions and orientation say {F(geometric)}°; the geometry is used"));

        var coverage = slices[^1].PositionMm - slices[0].PositionMm + (thickness ?? 0);
        return new SeriesGeometry
        {
            Slices = slices,
            Orientation = orientation,
            SpacingMm = spacing,
            MinStepMm = steps.Length > 0 ? steps.Min() : null,
            MaxStepMm = steps.Length > 0 ? steps.Max() : null,
            TableIncrementMm = tableIncrement,
            ThicknessMm = thickness,
            ThicknessSource = thicknessSource,
            TiltDeg = tilt,
            GantryTiltTagDeg = tiltTag,
            CoverageMm = coverage,
            Gaps = gaps,
            Problems = problems,
            Excluded = excluded,
        };
    }

    private readonly record struct Placed(SliceHeader Header, SliceOrientation Orientation);

    private static List<Placed> KeepMajority<TKey>(List<Placed> items, Func<Placed, TKey> key, Func<TKey, TKey, bool> same,
        List<ExcludedFile> excluded, List<SeriesProblem> problems, string code, Func<TKey, string> describe)
    {
        if (items.Count == 0) return items;
        var groups = new List<(TKey Key, List<Placed> Members)>();
        foreach (var item in items)
        {
            var k = key(item);
            var index = groups.FindIndex(g => same(g.Key, k));
            if (index < 0) groups.Add((k, [item]));
            else groups[index].Members.Add(item);
        }
        if (groups.Count == 1) return items;
        // Largest group wins; ties go to the group seen first in ordinal path order (items arrive sorted by path).
        var main = groups.OrderByDescending(g => g.Members.Count).First();
        foreach (var g in groups.Where(g => !ReferenceEquals(g.Members, main.Members)))
            foreach (var m in g.Members)
                excluded.Add(new(m.Header.Path, $"{describe(g.Key)} differs from the series' {describe(main.Key)}"));
        problems.Add(new(code, $"{groups.Count} different values ({string.Join(", ", groups.Select(g => $"{describe(g.Key)}: {g.Members.Count}"))}); kept {describe(main.Key)}"));
        return main.Members;
    }

    internal static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    internal static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
