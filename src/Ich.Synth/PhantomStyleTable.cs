using System.Globalization;
using System.Text;

namespace Ich.Synth;

/// <summary>One ranged per-scan parameter of <see cref="PhantomStyleRanges"/>: its property name, meaning and accessor.</summary>
public sealed record StyleParameter(string Name, string Meaning, Func<PhantomStyleRanges, StyleRange> Range);

/// <summary>One per-scan probability of <see cref="PhantomStyleRanges"/>.</summary>
public sealed record StyleChance(string Name, string Meaning, Func<PhantomStyleRanges, double> Chance);

/// <summary>
/// The list of style parameters (for tests that check drawn values against their ranges) and the Markdown table
/// of all ranges per style that docs/phantoms.md shows between its <c>style-ranges</c> markers.
/// </summary>
public static class PhantomStyleTable
{
    public static readonly IReadOnlyList<StyleParameter> Parameters =
    [
        new(nameof(PhantomStyleRanges.HeadScale), "head size factor", r => r.HeadScale),
        new(nameof(PhantomStyleRanges.ShiftXMm), "in-plane position, left–right offset from the FOV centre (mm)", r => r.ShiftXMm),
        new(nameof(PhantomStyleRanges.ShiftYMm), "in-plane position, anterior–posterior offset (mm)", r => r.ShiftYMm),
        new(nameof(PhantomStyleRanges.InPlaneRotationDeg), "in-plane rotation (yaw, °)", r => r.InPlaneRotationDeg),
        new(nameof(PhantomStyleRanges.PitchDeg), "head flexion/extension (pitch, °)", r => r.PitchDeg),
        new(nameof(PhantomStyleRanges.RollDeg), "head roll (°)", r => r.RollDeg),
        new(nameof(PhantomStyleRanges.SkullMm), "skull thickness (mm, before the head size factor)", r => r.SkullMm),
        new(nameof(PhantomStyleRanges.ScalpMm), "scalp thickness (mm)", r => r.ScalpMm),
        new(nameof(PhantomStyleRanges.GrayMatterHu), "cortical gray matter before calibration (HU)", r => r.GrayMatterHu),
        new(nameof(PhantomStyleRanges.GrayWhiteDifferenceHu), "gray/white contrast: gray minus white matter (HU)", r => r.GrayWhiteDifferenceHu),
        new(nameof(PhantomStyleRanges.CalibrationHu), "scanner calibration offset of brain HU (half of it on CSF)", r => r.CalibrationHu),
        new(nameof(PhantomStyleRanges.ChoroidPlexusHu), "choroid-plexus calcification density (HU)", r => r.ChoroidPlexusHu),
        new(nameof(PhantomStyleRanges.PinealHu), "pineal calcification density (HU)", r => r.PinealHu),
        new(nameof(PhantomStyleRanges.FalxCalcificationHu), "falx calcification density (HU)", r => r.FalxCalcificationHu),
        new(nameof(PhantomStyleRanges.FovMm), "field of view (mm); pixel spacing = FOV / matrix", r => r.FovMm),
        new(nameof(PhantomStyleRanges.TiltDeg), "gantry tilt of a tilted scan (°)", r => r.TiltDeg),
        new(nameof(PhantomStyleRanges.NoiseHu), "noise σ at 5 mm, standard kernel (HU; ×1.3 sharp kernel, more for thin slices and at the skull base)", r => r.NoiseHu),
        new(nameof(PhantomStyleRanges.NoiseGrainPasses), "noise texture: [1 2 1] blur passes over white noise (0 = fine grain, 5 = blotchy)", r => r.NoiseGrainPasses),
        new(nameof(PhantomStyleRanges.StreakStrength), "beam-hardening streak amplitude factor", r => r.StreakStrength),
        new(nameof(PhantomStyleRanges.StreakLines), "streaks per skull-base slice", r => r.StreakLines),
    ];

    public static readonly IReadOnlyList<StyleChance> Chances =
    [
        new(nameof(PhantomStyleRanges.ChoroidPlexusChance), "probability of choroid-plexus calcification", r => r.ChoroidPlexusChance),
        new(nameof(PhantomStyleRanges.PinealChance), "probability of pineal calcification", r => r.PinealChance),
        new(nameof(PhantomStyleRanges.FalxCalcificationChance), "probability of a falx calcification", r => r.FalxCalcificationChance),
        new(nameof(PhantomStyleRanges.TiltChance), "probability of a gantry tilt", r => r.TiltChance),
        new(nameof(PhantomStyleRanges.MotionChance), "probability of motion ghosting on a run of slices", r => r.MotionChance),
    ];

    /// <summary>The Markdown table of every range and probability per style (shifted values in bold).</summary>
    public static string Markdown()
    {
        var (standard, broad, shifted) = (PhantomStyleRanges.Standard, PhantomStyleRanges.Broad, PhantomStyleRanges.Shifted);
        var sb = new StringBuilder();
        sb.Append("| parameter | meaning | `standard` | `broad` | `shifted` |\n|---|---|---|---|---|\n");
        foreach (var p in Parameters)
        {
            var moved = p.Range(shifted) != p.Range(broad);
            sb.Append(CultureInfo.InvariantCulture, $"| `{p.Name}` | {p.Meaning} | {p.Range(standard)} | {p.Range(broad)} | {(moved ? $"**{p.Range(shifted)}**" : p.Range(shifted).ToString())} |\n");
        }
        foreach (var c in Chances)
            sb.Append(CultureInfo.InvariantCulture, $"| `{c.Name}` | {c.Meaning} | {c.Chance(standard):0.##} | {c.Chance(broad):0.##} | {c.Chance(shifted):0.##} |\n");
        return sb.ToString();
    }
}
