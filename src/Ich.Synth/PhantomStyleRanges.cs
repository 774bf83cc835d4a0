namespace Ich.Synth;

/// <summary>
/// Every per-scan parameter range of the phantom generator, in one place, for each <see cref="PhantomStyle"/>.
/// <see cref="Standard"/> holds the generator's original ranges (frozen: its output must not change);
/// <see cref="Broad"/> widens them for training (domain randomisation); <see cref="Shifted"/> moves the
/// parameters listed in <see cref="ShiftedParameters"/> outside both, for a style-shift test. docs/phantoms.md
/// shows <see cref="PhantomStyleTable.Markdown"/> of these records (a test keeps the two equal).
/// </summary>
public sealed record PhantomStyleRanges
{
    // Head and pose.
    /// <summary>Head size factor (all dimensions).</summary>
    public required StyleRange HeadScale { get; init; }
    /// <summary>In-plane head position: left–right offset from the FOV centre, mm.</summary>
    public required StyleRange ShiftXMm { get; init; }
    /// <summary>In-plane head position: anterior–posterior offset from the FOV centre, mm.</summary>
    public required StyleRange ShiftYMm { get; init; }
    /// <summary>In-plane rotation (yaw about the scanner axis), degrees.</summary>
    public required StyleRange InPlaneRotationDeg { get; init; }
    /// <summary>Head flexion/extension (pitch), degrees.</summary>
    public required StyleRange PitchDeg { get; init; }
    /// <summary>Head roll, degrees.</summary>
    public required StyleRange RollDeg { get; init; }
    public required StyleRange SkullMm { get; init; }
    public required StyleRange ScalpMm { get; init; }

    // Brain contrast.
    /// <summary>Cortical gray matter before the scanner calibration offset, HU.</summary>
    public required StyleRange GrayMatterHu { get; init; }
    /// <summary>Gray minus white matter, HU (the gray/white contrast).</summary>
    public required StyleRange GrayWhiteDifferenceHu { get; init; }
    /// <summary>Scanner calibration offset added to gray matter (half to CSF), HU.</summary>
    public required StyleRange CalibrationHu { get; init; }

    // Calcifications (bright confounders).
    public required double ChoroidPlexusChance { get; init; }
    public required StyleRange ChoroidPlexusHu { get; init; }
    public required double PinealChance { get; init; }
    public required StyleRange PinealHu { get; init; }
    public required double FalxCalcificationChance { get; init; }
    public required StyleRange FalxCalcificationHu { get; init; }

    // Scanner.
    /// <summary>Reconstruction field of view, mm; pixel spacing = FOV / matrix (the matrix is the user's --size).</summary>
    public required StyleRange FovMm { get; init; }
    public required double TiltChance { get; init; }
    public required StyleRange TiltDeg { get; init; }
    /// <summary>Quantum noise σ of a 5 mm slab with the standard kernel, HU (×1.3 for the sharp kernel, more for thin slabs and at the skull base).</summary>
    public required StyleRange NoiseHu { get; init; }
    /// <summary>Noise texture: passes of a [1 2 1] blur over white noise (0 = uncorrelated grain; more = coarser, blotchier).</summary>
    public required StyleRange NoiseGrainPasses { get; init; }
    /// <summary>Beam-hardening streak amplitude factor.</summary>
    public required StyleRange StreakStrength { get; init; }
    /// <summary>Streaks drawn per skull-base slice.</summary>
    public required StyleRange StreakLines { get; init; }
    public required double MotionChance { get; init; }

    /// <summary>The generator's original ranges (frozen; a seed reproduces the phantoms made before styles existed).</summary>
    public static readonly PhantomStyleRanges Standard = new()
    {
        HeadScale = StyleRange.Between(0.9, 1.07),
        ShiftXMm = StyleRange.Between(-10, 10),
        ShiftYMm = StyleRange.Between(-8, 14),
        InPlaneRotationDeg = StyleRange.Between(-9, 9),
        PitchDeg = StyleRange.Between(-16, 12),
        RollDeg = StyleRange.Between(-6, 6),
        SkullMm = StyleRange.Between(4.5, 8),
        ScalpMm = StyleRange.Between(3.5, 7),
        GrayMatterHu = StyleRange.Between(34, 42),
        GrayWhiteDifferenceHu = StyleRange.Between(7, 12),
        CalibrationHu = StyleRange.Between(-3, 3),
        ChoroidPlexusChance = 0.55,
        ChoroidPlexusHu = StyleRange.Between(70, 350),
        PinealChance = 0.5,
        PinealHu = StyleRange.Between(90, 450),
        FalxCalcificationChance = 0.15,
        FalxCalcificationHu = StyleRange.Between(200, 700),
        FovMm = StyleRange.Between(220, 250),
        TiltChance = 0.3,
        TiltDeg = StyleRange.Between(8, 25),
        NoiseHu = StyleRange.Between(2, 4.5),
        NoiseGrainPasses = StyleRange.Between(2, 2),
        StreakStrength = StyleRange.Between(0.3, 1.5),
        StreakLines = StyleRange.Between(2, 8),
        MotionChance = 0.08,
    };

    /// <summary>Training ranges: every Standard range widened (domain randomisation).</summary>
    public static readonly PhantomStyleRanges Broad = Standard with
    {
        HeadScale = StyleRange.Between(0.86, 1.1),
        ShiftXMm = StyleRange.Between(-14, 14),
        ShiftYMm = StyleRange.Between(-12, 17),
        InPlaneRotationDeg = StyleRange.Between(-20, 20),
        PitchDeg = StyleRange.Between(-20, 16),
        RollDeg = StyleRange.Between(-9, 9),
        SkullMm = StyleRange.Between(3.5, 9.5),
        ScalpMm = StyleRange.Between(3, 9),
        GrayMatterHu = StyleRange.Between(32, 44),
        GrayWhiteDifferenceHu = StyleRange.Between(4.5, 14),
        CalibrationHu = StyleRange.Between(-5, 5),
        ChoroidPlexusChance = 0.65,
        ChoroidPlexusHu = StyleRange.Between(60, 500),
        PinealChance = 0.6,
        PinealHu = StyleRange.Between(60, 600),
        FalxCalcificationChance = 0.3,
        FalxCalcificationHu = StyleRange.Between(150, 900),
        FovMm = StyleRange.Between(215, 285),
        TiltChance = 0.35,
        TiltDeg = StyleRange.Between(5, 28),
        NoiseHu = StyleRange.Between(1.5, 7),
        NoiseGrainPasses = StyleRange.Between(1, 3),
        StreakStrength = StyleRange.Between(0.2, 2.2),
        StreakLines = StyleRange.Between(2, 10),
        MotionChance = 0.1,
    };

    /// <summary>
    /// Style-shift test: the <see cref="ShiftedParameters"/> lie outside the Standard and Broad ranges (stronger or
    /// differently textured noise, coarser pixels, smaller or larger heads further off centre and more rotated, lower
    /// gray/white contrast, thicker skull, more and stronger streaks); the rest are as in Broad.
    /// </summary>
    public static readonly PhantomStyleRanges Shifted = Broad with
    {
        HeadScale = StyleRange.Either(0.76, 0.83, 1.14, 1.19),
        ShiftXMm = StyleRange.BeyondPlusMinus(18, 26),
        ShiftYMm = StyleRange.Either(-24, -17, 21, 28),
        InPlaneRotationDeg = StyleRange.BeyondPlusMinus(24, 35),
        SkullMm = StyleRange.Between(10.5, 13),
        GrayWhiteDifferenceHu = StyleRange.Between(2, 4),
        FovMm = StyleRange.Between(300, 350),
        NoiseHu = StyleRange.Between(8, 11),
        NoiseGrainPasses = StyleRange.Either(0, 0, 4, 5),
        StreakStrength = StyleRange.Between(2.6, 4),
        StreakLines = StyleRange.Between(11, 16),
    };

    /// <summary>Names of the parameters whose Shifted range lies outside the Standard and Broad ranges.</summary>
    public static IReadOnlyList<string> ShiftedParameters =>
        PhantomStyleTable.Parameters.Where(p => p.Range(Shifted) != p.Range(Broad)).Select(p => p.Name).ToList();

    /// <summary>
    /// The shifted parameters in groups of one kind of change, so a style-shift loss can be attributed: a Shifted run
    /// limited to some groups (<c>ich synth --style shifted --shift-groups fov,noise</c>) draws the other parameters from
    /// Broad. Every parameter of <see cref="ShiftedParameters"/> is in exactly one group (a test keeps it so).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ShiftGroups = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["pose"] = [nameof(HeadScale), nameof(ShiftXMm), nameof(ShiftYMm), nameof(InPlaneRotationDeg)],
        ["skull"] = [nameof(SkullMm)],
        ["contrast"] = [nameof(GrayWhiteDifferenceHu)],
        ["fov"] = [nameof(FovMm)],
        ["noise"] = [nameof(NoiseHu), nameof(NoiseGrainPasses)],
        ["streaks"] = [nameof(StreakStrength), nameof(StreakLines)],
    };

    /// <summary>
    /// Shifted with only the parameters of <paramref name="groups"/> (<see cref="ShiftGroups"/>) shifted; the others
    /// as in Broad. Sets differing only in their groups are the same scans and bleeds with those parameters moved (the
    /// streak strength, drawn after pose and skull from the same stream, can move with them).
    /// </summary>
    public static PhantomStyleRanges ShiftedOnly(IReadOnlyCollection<string> groups)
    {
        foreach (var g in groups.Where(g => !ShiftGroups.ContainsKey(g)))
            throw new Ich.Core.Errors.ConfigException($"unknown shift group '{g}' (known: {string.Join(", ", ShiftGroups.Keys)})");
        var shifted = groups.SelectMany(g => ShiftGroups[g]).ToHashSet(StringComparer.Ordinal);
        StyleRange Pick(string name, StyleRange broad, StyleRange moved) => shifted.Contains(name) ? moved : broad;
        return Broad with
        {
            HeadScale = Pick(nameof(HeadScale), Broad.HeadScale, Shifted.HeadScale),
            ShiftXMm = Pick(nameof(ShiftXMm), Broad.ShiftXMm, Shifted.ShiftXMm),
            ShiftYMm = Pick(nameof(ShiftYMm), Broad.ShiftYMm, Shifted.ShiftYMm),
            InPlaneRotationDeg = Pick(nameof(InPlaneRotationDeg), Broad.InPlaneRotationDeg, Shifted.InPlaneRotationDeg),
            SkullMm = Pick(nameof(SkullMm), Broad.SkullMm, Shifted.SkullMm),
            GrayWhiteDifferenceHu = Pick(nameof(GrayWhiteDifferenceHu), Broad.GrayWhiteDifferenceHu, Shifted.GrayWhiteDifferenceHu),
            FovMm = Pick(nameof(FovMm), Broad.FovMm, Shifted.FovMm),
            NoiseHu = Pick(nameof(NoiseHu), Broad.NoiseHu, Shifted.NoiseHu),
            NoiseGrainPasses = Pick(nameof(NoiseGrainPasses), Broad.NoiseGrainPasses, Shifted.NoiseGrainPasses),
            StreakStrength = Pick(nameof(StreakStrength), Broad.StreakStrength, Shifted.StreakStrength),
            StreakLines = Pick(nameof(StreakLines), Broad.StreakLines, Shifted.StreakLines),
        };
    }

    /// <summary>The one shift-group name that shifts nothing: the Shifted set's scans with Broad ranges, the paired baseline.</summary>
    public const string NoShiftGroup = "none";

    /// <summary>
    /// The ranges of a style, limited to some shift groups when <paramref name="shiftGroups"/> is not empty (Shifted
    /// only; <see cref="NoShiftGroup"/> alone = no group shifted).
    /// </summary>
    public static PhantomStyleRanges For(PhantomStyle style, IReadOnlyCollection<string> shiftGroups)
    {
        if (shiftGroups.Count == 0) return For(style);
        if (style != PhantomStyle.Shifted) throw new Ich.Core.Errors.ConfigException($"--shift-groups needs --style shifted, not {style.Name()}");
        if (shiftGroups.Contains(NoShiftGroup))
            return shiftGroups.Count == 1 ? ShiftedOnly([]) : throw new Ich.Core.Errors.ConfigException($"--shift-groups: '{NoShiftGroup}' cannot be combined with other groups");
        return ShiftedOnly(shiftGroups);
    }

    public static PhantomStyleRanges For(PhantomStyle style) => style switch
    {
        PhantomStyle.Standard => Standard,
        PhantomStyle.Broad => Broad,
        PhantomStyle.Shifted => Shifted,
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, "unknown phantom style"),
    };
}
