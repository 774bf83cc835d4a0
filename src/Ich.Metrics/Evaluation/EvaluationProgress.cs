using Ich.Metrics.Labels;

namespace Ich.Metrics.Evaluation;

/// <summary>Which step of <see cref="Evaluator"/> an <see cref="EvaluationProgress"/> report is about.</summary>
public enum EvaluationStep
{
    /// <summary>Reading the predictions file (<see cref="EvaluationProgress.Path"/>).</summary>
    ReadPredictions,
    /// <summary>Reading the label file (<see cref="EvaluationProgress.Path"/>, <see cref="EvaluationProgress.Format"/>).</summary>
    ReadLabels,
    /// <summary>The metrics of one class at one level (<see cref="EvaluationProgress.Level"/>, <see cref="EvaluationProgress.ClassName"/>).</summary>
    ClassMetrics,
}

/// <summary>
/// Progress of one evaluation: the step that starts now and what it works on. Hosts format it themselves (the CLI
/// shows it as a status line); code reads the fields.
/// </summary>
/// <param name="Step">What starts.</param>
public sealed record EvaluationProgress(EvaluationStep Step)
{
    /// <summary>The file being read, for the reading steps.</summary>
    public string? Path { get; init; }

    /// <summary>The label format, for <see cref="EvaluationStep.ReadLabels"/>.</summary>
    public LabelFormat? Format { get; init; }

    /// <summary>"slice" or "scan", for <see cref="EvaluationStep.ClassMetrics"/>.</summary>
    public string? Level { get; init; }

    /// <summary>The class (a <see cref="Ich.Core.HemorrhageClasses"/> name), for <see cref="EvaluationStep.ClassMetrics"/>.</summary>
    public string? ClassName { get; init; }
}
