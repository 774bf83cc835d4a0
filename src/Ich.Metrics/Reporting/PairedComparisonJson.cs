using System.Text;
using System.Text.Json;
using Ich.Metrics.Evaluation;

namespace Ich.Metrics.Reporting;

/// <summary>
/// comparison.json (schema <c>ich-evaluate-paired/1</c>, docs/evaluation.md): per compared file, per level and class,
/// <c>aucBaseline</c>, <c>aucOther</c>, <c>difference</c>, <c>differenceCi95</c>, <c>shareOtherHigher</c>. Undefined values are null.
/// </summary>
public static class PairedComparisonJson
{
    public const string Schema = "ich-evaluate-paired/1";

    public static string ToJson(IReadOnlyList<PairedComparison> comparisons)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartArray("comparisons");
            foreach (var p in comparisons) WriteComparison(w, p);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteComparison(Utf8JsonWriter w, PairedComparison p)
    {
        w.WriteStartObject();
        w.WriteString("baseline", p.Baseline);
        w.WriteString("other", p.Other);
        w.WriteNumber("common", p.Common);
        w.WriteNumber("onlyBaseline", p.OnlyBaseline);
        w.WriteNumber("onlyOther", p.OnlyOther);
        w.WriteStartObject("levels");
        foreach (var level in p.Levels)
        {
            w.WriteStartObject(level.Level);
            w.WriteNumber("n", level.N);
            w.WriteNumber("scans", level.Scans);
            w.WriteStartObject("classes");
            foreach (var c in level.Classes)
            {
                w.WriteStartObject(c.Name);
                w.WriteNumber("nPositive", c.NPositive);
                w.WriteNumber("nNegative", c.NNegative);
                Result(w, c.Result);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("subtypeMean");
            w.WriteNumber("subtypes", level.SubtypesInMean);
            Result(w, level.SubtypeMean);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Result(Utf8JsonWriter w, PairedAucResult? r)
    {
        MetricsJson.Number(w, "aucBaseline", r?.AucBaseline);
        MetricsJson.Number(w, "aucOther", r?.AucOther);
        MetricsJson.Number(w, "difference", r?.Difference);
        MetricsJson.Pair(w, "differenceCi95", r?.Ci95);
        MetricsJson.Number(w, "shareOtherHigher", r?.ShareOtherHigher);
        MetricsJson.Number(w, "bootstrapValidResamples", r?.Valid);
    }
}
