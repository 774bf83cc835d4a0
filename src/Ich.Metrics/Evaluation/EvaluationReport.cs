namespace Ich.Metrics.Evaluation;

/// <summary>Every metric of one class at one level. Null members are undefined, with <see cref="Note"/> saying why.</summary>
public sealed record ClassMetrics(
    string Name,
    int NPositive,
    int NNegative,
    double? Auc,
    DeLongResult? DeLong,
    BootstrapResult? Bootstrap,
    OperatingPoint? OperatingPoint,
    double? AveragePrecision,
    double LogLoss,
    ReliabilityTable Calibration,
    RocCurve Roc,
    IReadOnlyList<string> Notes)
{
    public string? Note => Notes.Count == 0 ? null : string.Join("; ", Notes);
}

/// <summary>Metrics of one level ("slice" or "scan").</summary>
/// <param name="N">Rows evaluated (slices or scans).</param>
/// <param name="Scans">Distinct scans (the bootstrap clusters).</param>
public sealed record LevelMetrics(string Level, int N, int Scans, WeightedLogLossResult LogLoss, IReadOnlyList<ClassMetrics> Classes);

/// <summary>The result of evaluating one predictions file.</summary>
public sealed record EvaluationReport(
    string Name,
    string PredictionsPath,
    string LabelsPath,
    string Format,
    EvaluationOptions Options,
    JoinReport Join,
    IReadOnlyList<LevelMetrics> Levels,
    IReadOnlyList<string> Notes)
{
    /// <summary>Slice-level AUC and sensitivity by lesion size; null unless lesion areas were given.</summary>
    public IReadOnlyList<LesionSizeStratum>? LesionSizes { get; init; }

    /// <summary>Slice-level AUC by the scans' slice thickness; null unless thicknesses were given.</summary>
    public IReadOnlyList<ThicknessStratum>? Thicknesses { get; init; }

    /// <summary>The joined rows at the label's own unit (slices, or scans for scan-only labels), for paired comparisons.</summary>
    public IReadOnlyList<EvaluationRow> JoinedRows { get; init; } = [];

    /// <summary>Per level and subtype, its positives against clean and against otherwise bleeding items; null unless asked for.</summary>
    public IReadOnlyList<NegativeSplitRow>? NegativeSplit { get; init; }

    /// <summary>Slice-level "any" by the scans' drawn style parameters; null unless style values were given.</summary>
    public IReadOnlyList<StyleStratum>? StyleParameters { get; init; }
}
