namespace Ich.Training.Cnn;

/// <summary>Which long phase a <see cref="TrainProgress"/> report is about.</summary>
public enum TrainPhase
{
    /// <summary>Generating the training phantoms.</summary>
    Phantoms,
    /// <summary>Decoding every training slice to the slice cache.</summary>
    DecodeSlices,
    /// <summary>Training batches of one fold's epoch (<see cref="TrainProgress.Fold"/>, <see cref="TrainProgress.Epoch"/> of <see cref="TrainProgress.Epochs"/>).</summary>
    TrainEpoch,
    /// <summary>Validation after one fold's epoch (<see cref="TrainProgress.Fold"/>, <see cref="TrainProgress.Epoch"/>).</summary>
    Validation,
    /// <summary>Out-of-fold features of one fold (<see cref="TrainProgress.Fold"/>).</summary>
    OofFeatures,
    /// <summary>Features of other data (<c>ich features</c>).</summary>
    Features,
    /// <summary>Generating the held-out phantoms.</summary>
    HoldoutPhantoms,
    /// <summary>Predicting the held-out phantoms.</summary>
    HoldoutPrediction,
    /// <summary>Predicting the locked internal test patients.</summary>
    LockedTestPrediction,
}

/// <summary>
/// Progress of a long training phase: <paramref name="Done"/> of <paramref name="Total"/> units. Code reads the
/// structured fields; <see cref="Display"/> is the one-line label a console shows (and the key of its bar).
/// </summary>
/// <param name="Phase">What is running.</param>
/// <param name="Done">Units finished.</param>
/// <param name="Total">Units in the phase.</param>
public sealed record TrainProgress(TrainPhase Phase, long Done, long Total)
{
    /// <summary>The cross-validation fold, for fold phases (0-based).</summary>
    public int? Fold { get; init; }

    /// <summary>The epoch, for epoch phases (1-based).</summary>
    public int? Epoch { get; init; }

    /// <summary>Epochs of the run, for <see cref="TrainPhase.TrainEpoch"/>.</summary>
    public int? Epochs { get; init; }

    /// <summary>The label a console shows for this phase, e.g. "fold 0 epoch 2/10".</summary>
    public string Display => Phase switch
    {
        TrainPhase.Phantoms => "phantoms",
        TrainPhase.DecodeSlices => "decode slices",
        TrainPhase.TrainEpoch => $"fold {Fold} epoch {Epoch}/{Epochs}",
        TrainPhase.Validation => $"fold {Fold} epoch {Epoch} validation",
        TrainPhase.OofFeatures => $"OOF features fold {Fold}",
        TrainPhase.Features => "features",
        TrainPhase.HoldoutPhantoms => "held-out phantoms",
        TrainPhase.HoldoutPrediction => "held-out prediction",
        TrainPhase.LockedTestPrediction => "locked-test prediction",
        _ => Phase.ToString(),
    };
}
