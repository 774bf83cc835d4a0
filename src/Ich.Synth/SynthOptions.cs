using System.Globalization;
using Ich.Core.Errors;

namespace Ich.Synth;

/// <summary>Options of a phantom run (the <c>ich synth</c> flags).</summary>
public sealed record SynthOptions
{
    /// <summary>The slice thicknesses a scan may have, mm (the <c>--thickness</c> choices besides "mixed").</summary>
    public static readonly IReadOnlyList<double> Thicknesses = [5, 3, 2.5, 1.25, 0.625];

    /// <summary>Probability of each thickness under "mixed" (RSNA-like: mostly 5 mm, some thin scans).</summary>
    public static readonly IReadOnlyList<double> MixedWeights = [0.5, 0.1, 0.15, 0.15, 0.1];

    /// <summary>Base seed: scan i depends only on (Seed, i), so a bigger run extends a smaller one.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Image rows = columns (pixels).</summary>
    public int Size { get; init; } = 512;

    /// <summary>A fixed slice thickness in mm, or null for "mixed".</summary>
    public double? ThicknessMm { get; init; }

    /// <summary>
    /// The per-scan parameter ranges (<c>--style</c>; <see cref="PhantomStyleRanges"/>). Scan i depends only on
    /// (Seed, i, Style); Standard gives the same bytes as the generator before styles existed.
    /// </summary>
    public PhantomStyle Style { get; init; } = PhantomStyle.Standard;

    /// <summary>
    /// With <see cref="PhantomStyle.Shifted"/>: shift only these groups of parameters (<see cref="PhantomStyleRanges.ShiftGroups"/>),
    /// the rest as in Broad, to attribute a style-shift loss to one kind of change. Empty = every group (plain Shifted).
    /// </summary>
    public IReadOnlyList<string> ShiftGroups { get; init; } = [];

    /// <summary>
    /// Which blood the masks and labels count (<c>--labels</c>): <see cref="PhantomLabelRule.Geometric"/> (default; the
    /// original rule) or <see cref="PhantomLabelRule.Visible"/>. The pixels do not depend on it.
    /// </summary>
    public PhantomLabelRule Labels { get; init; } = PhantomLabelRule.Geometric;

    /// <summary>The ranges this run draws from.</summary>
    public PhantomStyleRanges Ranges => PhantomStyleRanges.For(Style, ShiftGroups);

    /// <summary>Parses a <c>--style</c> value: standard, broad or shifted.</summary>
    public static PhantomStyle ParseStyle(string text) => PhantomStyles.Parse(text);

    /// <summary>Parses a <c>--thickness</c> value: one of 5, 3, 2.5, 1.25, 0.625 or "mixed".</summary>
    public static double? ParseThickness(string text)
    {
        if (text.Equals("mixed", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && Thicknesses.Contains(t)) return t;
        throw new ConfigException($"--thickness must be one of 5, 3, 2.5, 1.25, 0.625 or mixed, not '{text}'");
    }

    public void Validate()
    {
        if (Size is < 64 or > 1024) throw new ConfigException($"--size must be between 64 and 1024, not {Size}");
        _ = Ranges; // an unknown shift group, or shift groups without --style shifted, fail here
        if (ShiftGroups.Distinct(StringComparer.Ordinal).Count() != ShiftGroups.Count) throw new ConfigException("--shift-groups lists a group twice");
    }
}
