using System.Text;
using System.Text.Json;
using Ich.Metrics.Evaluation;

namespace Ich.Metrics.Reporting;

/// <summary>
/// Writes metrics.json (layout documented in docs/evaluation.md): per level (<c>slice</c>, <c>scan</c>) the
/// weighted log-loss and per class <c>auc</c>, <c>aucCi95DeLong</c>, <c>aucCi95Bootstrap</c>, <c>sensitivity</c>,
/// <c>specificity</c>, <c>threshold</c>, <c>nPositive</c>, <c>nNegative</c> and more; plus the chosen
/// <c>thresholds</c> in the form <c>--thresholds</c> reads back. Undefined values are JSON null.
/// </summary>
public static class MetricsJson
{
    public const string Schema = "ich-evaluate/1";

    public static void Write(EvaluationReport report, string path) => File.WriteAllText(path, ToJson(report), new UTF8Encoding(false));

    public static string ToJson(EvaluationReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("name", report.Name);
            w.WriteString("predictions", report.PredictionsPath);
            w.WriteString("labels", report.LabelsPath);
            w.WriteString("format", report.Format);
            WriteOptions(w, report.Options);
            WriteJoin(w, report.Join);
            w.WriteStartArray("notes");
            foreach (var n in report.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            foreach (var level in report.Levels) WriteLevel(w, level);
            if (report.LesionSizes is { } sizes) WriteLesionSizes(w, report.Options.LesionAreasSource, sizes);
            if (report.Thicknesses is { } thicknesses) WriteThicknesses(w, report.Options.ThicknessSource, thicknesses);
            if (report.StyleParameters is { } styles) WriteStyles(w, report.Options.StyleValuesSource, styles);
            if (report.NegativeSplit is { } split) WriteNegativeSplit(w, split);
            WriteThresholds(w, report);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteOptions(Utf8JsonWriter w, EvaluationOptions o)
    {
        w.WriteStartObject("options");
        w.WriteString("thresholdRule", o.RuleName);
        Number(w, "fixedThreshold", o.FixedThreshold);
        Number(w, "targetSensitivity", o.TargetSensitivity);
        if (o.Thresholds?.Source is { } s) w.WriteString("thresholdsFile", s); else w.WriteNull("thresholdsFile");
        w.WriteStartObject("bootstrap");
        w.WriteNumber("resamples", o.BootstrapResamples);
        w.WriteNumber("seed", o.BootstrapSeed);
        w.WriteString("cluster", "scan_id");
        w.WriteString("generator", "SplitMix64");
        w.WriteString("interval", "percentile 2.5-97.5, linear interpolation");
        w.WriteEndObject();
        w.WriteNumber("logLossEpsilon", BinaryLogLoss.Epsilon);
        w.WriteNumber("calibrationBins", o.CalibrationBins);
        w.WriteEndObject();
    }

    private static void WriteJoin(Utf8JsonWriter w, JoinReport j)
    {
        w.WriteStartObject("join");
        w.WriteString("unit", j.Unit);
        w.WriteNumber("matched", j.Matched);
        w.WriteNumber("predictionsWithoutLabel", j.PredictionsWithoutLabel);
        w.WriteNumber("labelsWithoutPrediction", j.LabelsWithoutPrediction);
        w.WriteNumber("duplicateLabelRows", j.DuplicateLabelRows);
        Strings(w, "examplePredictionsWithoutLabel", j.ExamplePredictionsWithoutLabel);
        Strings(w, "exampleLabelsWithoutPrediction", j.ExampleLabelsWithoutPrediction);
        w.WriteEndObject();
    }

    private static void WriteLevel(Utf8JsonWriter w, LevelMetrics level)
    {
        w.WriteStartObject(level.Level);
        w.WriteNumber("n", level.N);
        w.WriteNumber("nScans", level.Scans);
        w.WriteNumber("weightedLogLoss", level.LogLoss.Total);
        w.WriteStartObject("logLossPerClass");
        foreach (var c in level.Classes) w.WriteNumber(c.Name, c.LogLoss);
        w.WriteEndObject();
        foreach (var c in level.Classes) WriteClass(w, c);
        w.WriteEndObject();
    }

    private static void WriteClass(Utf8JsonWriter w, ClassMetrics c)
    {
        var op = c.OperatingPoint;
        w.WriteStartObject(c.Name);
        Number(w, "auc", c.Auc);
        Pair(w, "aucCi95DeLong", c.DeLong?.Ci95);
        Pair(w, "aucCi95Bootstrap", c.Bootstrap?.Ci95);
        Number(w, "sensitivity", op?.Sensitivity);
        Pair(w, "sensitivityCi95", op?.SensitivityCi95);
        Number(w, "specificity", op?.Specificity);
        Pair(w, "specificityCi95", op?.SpecificityCi95);
        Number(w, "threshold", op?.Threshold);
        w.WriteNumber("nPositive", c.NPositive);
        w.WriteNumber("nNegative", c.NNegative);
        if (op is null) { w.WriteNull("tp"); w.WriteNull("fp"); w.WriteNull("tn"); w.WriteNull("fn"); }
        else
        {
            w.WriteNumber("tp", op.TruePositives);
            w.WriteNumber("fp", op.FalsePositives);
            w.WriteNumber("tn", op.TrueNegatives);
            w.WriteNumber("fn", op.FalseNegatives);
        }
        Number(w, "aucStandardErrorDeLong", c.DeLong?.StandardError);
        if (c.Bootstrap is null) w.WriteNull("bootstrapValidResamples"); else w.WriteNumber("bootstrapValidResamples", c.Bootstrap.Valid);
        Number(w, "averagePrecision", c.AveragePrecision);
        w.WriteNumber("logLoss", c.LogLoss);
        w.WriteNumber("ece", c.Calibration.Ece);
        w.WriteStartArray("calibration");
        foreach (var b in c.Calibration.Bins)
        {
            w.WriteStartObject();
            w.WriteNumber("lower", b.Lower);
            w.WriteNumber("upper", b.Upper);
            w.WriteNumber("count", b.Count);
            Number(w, "meanPredicted", b.MeanPredicted);
            Number(w, "fractionPositive", b.FractionPositive);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (c.Note is { } note) w.WriteString("note", note); else w.WriteNull("note");
        w.WriteEndObject();
    }

    private static void WriteThresholds(Utf8JsonWriter w, EvaluationReport report)
    {
        w.WriteStartObject("thresholds");
        w.WriteString("rule", report.Options.Thresholds?.Rule ?? report.Options.RuleName);
        foreach (var level in report.Levels)
        {
            w.WriteStartObject(level.Level);
            foreach (var c in level.Classes) Number(w, c.Name, c.OperatingPoint?.Threshold);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary><c>lesionSize</c>: the slice-level size bands (written only when lesion areas were given).</summary>
    private static void WriteLesionSizes(Utf8JsonWriter w, string? source, IReadOnlyList<LesionSizeStratum> strata)
    {
        w.WriteStartObject("lesionSize");
        if (source is null) w.WriteNull("source"); else w.WriteString("source", source);
        w.WriteString("unit", "mm2");
        w.WriteString("scores", "each band's positive slices against every negative slice of the class; sensitivity at the slice-level operating threshold");
        w.WriteStartArray("bands");
        foreach (var s in strata)
        {
            w.WriteStartObject();
            w.WriteString("class", s.Class);
            w.WriteNumber("minMm2", s.MinMm2);
            Number(w, "maxMm2", s.MaxMm2);
            w.WriteNumber("nPositive", s.NPositive);
            w.WriteNumber("nNegative", s.NNegative);
            Number(w, "auc", s.Auc);
            Pair(w, "aucCi95Bootstrap", s.Bootstrap?.Ci95);
            Number(w, "sensitivity", s.Sensitivity);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>sliceThickness</c>: the slice-level groups by the scans' slice thickness (written only when thicknesses were given).</summary>
    private static void WriteThicknesses(Utf8JsonWriter w, string? source, IReadOnlyList<ThicknessStratum> strata)
    {
        w.WriteStartObject("sliceThickness");
        if (source is null) w.WriteNull("source"); else w.WriteString("source", source);
        w.WriteString("scores", "each thickness's slices among themselves");
        w.WriteStartArray("groups");
        foreach (var s in strata)
        {
            w.WriteStartObject();
            w.WriteNumber("thicknessMm", s.ThicknessMm);
            w.WriteString("class", s.Class);
            w.WriteNumber("scans", s.Scans);
            w.WriteNumber("nPositive", s.NPositive);
            w.WriteNumber("nNegative", s.NNegative);
            Number(w, "auc", s.Auc);
            Pair(w, "aucCi95Bootstrap", s.Bootstrap?.Ci95);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>styleParameters</c>: slice-level "any" by the scans' drawn style parameters (written only when style values were given).</summary>
    private static void WriteStyles(Utf8JsonWriter w, string? source, IReadOnlyList<StyleStratum> strata)
    {
        w.WriteStartObject("styleParameters");
        if (source is null) w.WriteNull("source"); else w.WriteString("source", source);
        w.WriteString("scores", "each group's slices among themselves, class any");
        w.WriteStartArray("groups");
        foreach (var s in strata)
        {
            w.WriteStartObject();
            w.WriteString("parameter", s.Parameter);
            w.WriteNumber("low", s.Low);
            w.WriteNumber("high", s.High);
            w.WriteNumber("scans", s.Scans);
            w.WriteNumber("bleedFreeScans", s.NegativeScans);
            w.WriteNumber("nPositive", s.PositiveSlices);
            Number(w, "aucAny", s.SliceAuc);
            Number(w, "falsePositiveLevel", s.FalsePositiveLevel);
            Number(w, "bleedLevel", s.BleedLevel);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary><c>negativeSplit</c>: per level and subtype, its positives against clean and against otherwise bleeding items (written only when asked for).</summary>
    private static void WriteNegativeSplit(Utf8JsonWriter w, IReadOnlyList<NegativeSplitRow> rows)
    {
        w.WriteStartObject("negativeSplit");
        w.WriteString("scores", "each subtype's positives against clean items (any = 0) and against items that bleed otherwise (any = 1, subtype = 0)");
        w.WriteStartArray("rows");
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("level", r.Level);
            w.WriteString("class", r.Class);
            w.WriteNumber("nPositive", r.NPositive);
            Group(w, "clean", r.Clean);
            Group(w, "otherBleed", r.OtherBleed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        static void Group(Utf8JsonWriter w, string name, NegativeGroupScore g)
        {
            w.WriteStartObject(name);
            w.WriteNumber("nNegative", g.NNegative);
            Number(w, "auc", g.Auc);
            Pair(w, "aucCi95Bootstrap", g.Bootstrap?.Ci95);
            w.WriteEndObject();
        }
    }

    /// <summary>A finite number, or null (shared with <see cref="PairedComparisonJson"/>).</summary>
    internal static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>An interval as <c>[low, high]</c>, or null (shared with <see cref="PairedComparisonJson"/>).</summary>
    internal static void Pair(Utf8JsonWriter w, string name, Interval? value)
    {
        if (value is not { } v) { w.WriteNull(name); return; }
        w.WriteStartArray(name);
        w.WriteNumberValue(v.Low);
        w.WriteNumberValue(v.High);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
