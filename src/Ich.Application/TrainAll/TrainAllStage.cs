namespace Ich.Application.TrainAll;

/// <summary>The kinds of stage of <c>ich train all</c> that take time and are recorded in <c>timings.json</c>.</summary>
public enum TrainAllStageKind
{
    Phantoms,
    /// <summary>One backbone's CNN run (<see cref="TrainAllStage.Backbone"/>).</summary>
    Cnn,
    Seq,
    Model,
    Holdout,
    StyleShift,
    LockedTest,
    /// <summary>One ablation's CNN run (<see cref="TrainAllStage.Backbone"/> is the ablation's name).</summary>
    Ablation,
    /// <summary>The model card, written last (it states the other stages' times).</summary>
    Card,
    /// <summary>Every backbone's CNN folds, trained by worker processes (<see cref="TrainAllConfig.CnnWorkers"/> above 1); the <see cref="Cnn"/> stages then write the features.</summary>
    CnnWorkers,
    /// <summary>Every ablation's CNN folds, trained by worker processes; the <see cref="Ablation"/> stages then write the features.</summary>
    AblationWorkers,
}

/// <summary>
/// One timed stage of a train-all run: its kind and, for CNN and ablation runs, the name of the run. <see cref="Name"/>
/// is how logs, the stage list and <c>timings.json</c> spell it (<c>cnn-resnet18</c>, <c>style-shift</c>): the file is
/// read back when a run resumes and by people, so the spelling is fixed.
/// </summary>
public sealed record TrainAllStage
{
    private TrainAllStage(TrainAllStageKind kind, string? backbone)
    {
        Kind = kind;
        Backbone = backbone;
    }

    public TrainAllStageKind Kind { get; }

    /// <summary>The CNN run's name for <see cref="TrainAllStageKind.Cnn"/> and <see cref="TrainAllStageKind.Ablation"/>, else null.</summary>
    public string? Backbone { get; }

    public static readonly TrainAllStage Phantoms = new(TrainAllStageKind.Phantoms, null);
    public static readonly TrainAllStage Seq = new(TrainAllStageKind.Seq, null);
    public static readonly TrainAllStage Model = new(TrainAllStageKind.Model, null);
    public static readonly TrainAllStage Holdout = new(TrainAllStageKind.Holdout, null);
    public static readonly TrainAllStage StyleShift = new(TrainAllStageKind.StyleShift, null);
    public static readonly TrainAllStage LockedTest = new(TrainAllStageKind.LockedTest, null);
    public static readonly TrainAllStage Card = new(TrainAllStageKind.Card, null);
    public static readonly TrainAllStage CnnWorkers = new(TrainAllStageKind.CnnWorkers, null);
    public static readonly TrainAllStage AblationWorkers = new(TrainAllStageKind.AblationWorkers, null);

    public static TrainAllStage Cnn(string backbone) => new(TrainAllStageKind.Cnn, NonEmpty(backbone));

    public static TrainAllStage Ablation(string name) => new(TrainAllStageKind.Ablation, NonEmpty(name));

    public string Name => Kind switch
    {
        TrainAllStageKind.Phantoms => "phantoms",
        TrainAllStageKind.Cnn => $"{CnnPrefix}{Backbone}",
        TrainAllStageKind.Seq => "seq",
        TrainAllStageKind.Model => "model",
        TrainAllStageKind.Holdout => "holdout",
        TrainAllStageKind.StyleShift => "style-shift",
        TrainAllStageKind.LockedTest => "locked-test",
        TrainAllStageKind.Ablation => $"{AblationPrefix}{Backbone}",
        TrainAllStageKind.Card => "card",
        TrainAllStageKind.CnnWorkers => "workers-cnn",
        TrainAllStageKind.AblationWorkers => "workers-ablations",
        _ => throw new InvalidOperationException($"unknown stage kind {Kind}"),
    };

    /// <summary>The stage spelled <paramref name="name"/>; null for a name no stage has.</summary>
    public static TrainAllStage? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        TrainAllStage[] fixedStages = [Phantoms, Seq, Model, Holdout, StyleShift, LockedTest, Card, CnnWorkers, AblationWorkers];
        if (fixedStages.FirstOrDefault(s => s.Name == name) is { } found) return found;
        if (name.StartsWith(CnnPrefix, StringComparison.Ordinal) && name.Length > CnnPrefix.Length) return Cnn(name[CnnPrefix.Length..]);
        if (name.StartsWith(AblationPrefix, StringComparison.Ordinal) && name.Length > AblationPrefix.Length) return Ablation(name[AblationPrefix.Length..]);
        return null;
    }

    public override string ToString() => Name;

    private const string CnnPrefix = "cnn-", AblationPrefix = "ablation-";

    private static string NonEmpty(string name) =>
        string.IsNullOrEmpty(name) ? throw new ArgumentException("a CNN stage needs the run's name", nameof(name)) : name;
}
