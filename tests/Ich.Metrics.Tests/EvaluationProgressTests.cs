using Ich.Core;
using Ich.Metrics.Evaluation;
using Ich.Metrics.Labels;
using static Ich.Metrics.Tests.MetricFixtures;

namespace Ich.Metrics.Tests;

/// <summary>
/// The evaluator reports each step as structured progress, in the order it does them: the two files it reads, then
/// every class at every level. Hosts format the reports; the test reads only the fields.
/// </summary>
public class EvaluationProgressTests
{
    [Fact]
    public void Run_RsnaFixture_ReportsBothReadsThenEveryClassPerLevel()
    {
        var dir = Path.Combine(Dir, "e2e-rsna");
        var predictions = Path.Combine(dir, "predictions.csv");
        var labels = Path.Combine(dir, "labels.csv");
        var reports = new List<EvaluationProgress>();

        var report = Evaluator.Run("rsna", predictions, labels, LabelFormat.Rsna, new EvaluationOptions { BootstrapResamples = 5 },
            new Recorder(reports.Add));

        Assert.Equal(new EvaluationProgress(EvaluationStep.ReadPredictions) { Path = predictions }, reports[0]);
        Assert.Equal(new EvaluationProgress(EvaluationStep.ReadLabels) { Path = labels, Format = LabelFormat.Rsna }, reports[1]);
        var expected = report.Levels.SelectMany(l => HemorrhageClasses.Names.Select(c =>
            new EvaluationProgress(EvaluationStep.ClassMetrics) { Level = l.Level, ClassName = c })).ToList();
        Assert.Equal(2, report.Levels.Count);
        Assert.Equal(expected, reports.Skip(2).ToList());
    }

    /// <summary>Records on the reporting thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(Action<EvaluationProgress> record) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => record(value);
    }
}
