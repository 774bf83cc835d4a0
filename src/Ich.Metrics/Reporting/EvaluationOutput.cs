using System.Text;
using Ich.Metrics.Evaluation;

namespace Ich.Metrics.Reporting;

/// <summary>Writes the files of <c>ich evaluate</c> into an output folder.</summary>
public static class EvaluationOutput
{
    public const string MetricsJsonFile = "metrics.json";
    public const string MetricsMarkdownFile = "metrics.md";
    public const string RocFile = "roc.png";
    public const string ComparisonFile = "comparison.md";
    public const string ComparisonJsonFile = "comparison.json";

    /// <summary>metrics.json, metrics.md and roc.png of one report; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(EvaluationReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, MetricsJsonFile);
        var md = Path.Combine(directory, MetricsMarkdownFile);
        var png = Path.Combine(directory, RocFile);
        MetricsJson.Write(report, json);
        File.WriteAllText(md, MetricsMarkdown.Render(report), new UTF8Encoding(false));
        RocFigure.Save(report, png);
        return [json, md, png];
    }

    /// <summary>
    /// comparison.md over several reports (the paper's Table 3 layout, then each paired comparison) and, with paired
    /// comparisons, comparison.json holding them; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> WriteComparison(IReadOnlyList<EvaluationReport> reports, string directory,
        IReadOnlyList<PairedComparison>? paired = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, ComparisonFile);
        File.WriteAllText(path, MetricsMarkdown.RenderComparison(reports, paired), new UTF8Encoding(false));
        if (paired is null || paired.Count == 0) return [path];
        var json = Path.Combine(directory, ComparisonJsonFile);
        File.WriteAllText(json, PairedComparisonJson.ToJson(paired), new UTF8Encoding(false));
        return [path, json];
    }
}
