using Ich.Core.Errors;

namespace Ich.Metrics.Evaluation;

/// <summary>Which levels to evaluate.</summary>
[Flags]
public enum EvaluationLevels
{
    Slice = 1,
    Scan = 2,
    Both = Slice | Scan,
}

/// <summary>
/// How <see cref="Evaluator"/> chooses operating points and intervals. At most one of
/// <see cref="FixedThreshold"/>, <see cref="TargetSensitivity"/> and <see cref="Thresholds"/> is set;
/// with none, each class uses its Youden point on the evaluated set.
/// </summary>
public sealed record EvaluationOptions
{
    public EvaluationLevels Levels { get; init; } = EvaluationLevels.Both;
    public double? FixedThreshold { get; init; }
    public double? TargetSensitivity { get; init; }
    public ThresholdSet? Thresholds { get; init; }
    public int BootstrapResamples { get; init; } = BootstrapAuc.DefaultResamples;
    public ulong BootstrapSeed { get; init; } = BootstrapAuc.DefaultSeed;
    public int CalibrationBins { get; init; } = Calibration.DefaultBins;
    /// <summary>
    /// Lesion area per slice ID and class (mm², <see cref="Ich.Core.HemorrhageClasses"/> order), e.g. from phantom masks:
    /// adds slice-level AUC and sensitivity by lesion size (<see cref="LesionSizeStrata"/>). Null: no size breakdown.
    /// </summary>
    public IReadOnlyDictionary<string, double[]>? LesionAreasMm2 { get; init; }
    /// <summary>Where <see cref="LesionAreasMm2"/> came from, for the reports.</summary>
    public string? LesionAreasSource { get; init; }
    /// <summary>
    /// Slice thickness per scan ID (mm), e.g. from <c>ich synth</c>'s scans.csv: adds slice-level AUC by slice thickness
    /// (<see cref="ThicknessStrata"/>). Null: no thickness breakdown.
    /// </summary>
    public IReadOnlyDictionary<string, double>? ThicknessByScan { get; init; }
    /// <summary>Where <see cref="ThicknessByScan"/> came from, for the reports.</summary>
    public string? ThicknessSource { get; init; }
    /// <summary>
    /// Drawn style parameters per scan ID (parameter → value), e.g. from <c>ich synth</c>'s style_values.csv: adds slice-level
    /// "any" by style parameter (<see cref="StyleStrata"/>). Null: no style breakdown.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? StyleValuesByScan { get; init; }
    /// <summary>Where <see cref="StyleValuesByScan"/> came from, for the reports.</summary>
    public string? StyleValuesSource { get; init; }

    /// <summary>
    /// Also score each subtype's positives separately against clean items (no bleed) and against items that bleed
    /// otherwise, at every evaluated level (<see cref="NegativeSplit"/>).
    /// </summary>
    public bool SplitNegatives { get; init; }

    /// <summary>The rule in words as written to metrics.json: youden, fixed, target-sensitivity or file.</summary>
    public string RuleName =>
        Thresholds is not null ? "file" : FixedThreshold is not null ? "fixed" : TargetSensitivity is not null ? "target-sensitivity" : "youden";

    /// <summary>Rejects contradictory or out-of-range settings before any work starts.</summary>
    public void Validate()
    {
        var rules = (FixedThreshold is null ? 0 : 1) + (TargetSensitivity is null ? 0 : 1) + (Thresholds is null ? 0 : 1);
        if (rules > 1) throw new ConfigException("choose one of --threshold, --target-sensitivity and --thresholds");
        if (FixedThreshold is { } t && !double.IsFinite(t)) throw new ConfigException($"--threshold {t} is not a finite number");
        if (TargetSensitivity is { } s && s is <= 0 or > 1) throw new ConfigException($"--target-sensitivity {s} must be in (0, 1]");
        if (BootstrapResamples < 1) throw new ConfigException($"--bootstrap {BootstrapResamples}: need at least one resample");
        if (CalibrationBins < 1) throw new ConfigException($"calibration bins {CalibrationBins} must be ≥ 1");
    }
}
