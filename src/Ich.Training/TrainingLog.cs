using Microsoft.Extensions.Logging;

namespace Ich.Training;

/// <summary>
/// The training library's log lines. Messages are whole lines (a run's log reads as prose, as the run folder's
/// log.txt does); the level says whether a line is progress or a problem the user should look at.
/// </summary>
internal static partial class TrainingLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Info(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Line}")]
    public static partial void Warning(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Path}: {Patients} patient(s) excluded from training: {PatientIds}")]
    public static partial void PatientsExcluded(ILogger logger, string kind, string path, int patients, string patientIds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Path}: {Scans} scans, {Slices} slices")]
    public static partial void DatasetLoaded(ILogger logger, string kind, string path, int scans, int slices);

    [LoggerMessage(Level = LogLevel.Information, Message = "system {System}: {Scans} scans, {Slices} slices, {Folds} folds")]
    public static partial void SequenceSystem(ILogger logger, string system, int scans, int slices, int folds);

    [LoggerMessage(Level = LogLevel.Information, Message = "system {System}: predicted {Scans} test scans ({Folds} folds × forward/reversed)")]
    public static partial void SequenceTestPredicted(ILogger logger, string system, int scans, int folds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{System} fold {Fold} epoch {Epoch}/{Epochs}: lr {Lr:g3} train {TrainLoss:F4} val stage1 {ValStage1:F4} stage2 {ValStage2:F4}{BestMark}")]
    public static partial void SequenceEpoch(ILogger logger, string system, int fold, int epoch, int epochs, double lr, double trainLoss, double valStage1, double valStage2, string bestMark);

    [LoggerMessage(Level = LogLevel.Information, Message = "{System} fold {Fold}: finished earlier with these settings, loaded from {Path}")]
    public static partial void SequenceFoldLoaded(ILogger logger, string system, int fold, string path);
}
