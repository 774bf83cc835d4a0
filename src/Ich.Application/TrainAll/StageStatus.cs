namespace Ich.Application.TrainAll;

/// <summary>What happened to a stage of <see cref="TrainAllPipeline"/> in one invocation.</summary>
public enum StageStatus
{
    /// <summary>The stage ran to its end.</summary>
    Ran,
    /// <summary>Its outputs were already complete, so it did not run.</summary>
    SkippedComplete,
    /// <summary>The config does not ask for it.</summary>
    Absent,
    /// <summary>It was cancelled; its saved state lets the next invocation continue.</summary>
    Interrupted,
}

/// <summary>The words the CLI's stage table shows for a <see cref="StageStatus"/>.</summary>
public static class StageStatusText
{
    public static string Display(this StageStatus status) => status switch
    {
        StageStatus.Ran => "ran",
        StageStatus.SkippedComplete => "skipped (complete)",
        StageStatus.Absent => "absent",
        StageStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
