using System.Text.Json;

namespace Ich.Training.Sequence;

/// <summary>
/// <c>fold&lt;k&gt;.done.json</c> beside a sequence fold's checkpoint: written only after the checkpoint is complete, it
/// says which settings trained it (<see cref="Key"/>) and holds the fold's epoch log, so an interrupted sequence stage
/// resumes at the first unfinished fold and still writes the whole <c>training_log.csv</c>. A fold is a pure function of
/// its key, so a resumed run gives exactly what an uninterrupted one gives.
/// </summary>
public sealed record FoldRecord(string Key, IReadOnlyList<SeqEpochLog> Epochs)
{
    public static string PathFor(string checkpointFolder, int fold) => Path.Combine(checkpointFolder, $"fold{fold}.done.json");

    /// <summary>
    /// The record of a fold trained with the settings <paramref name="key"/> describes (<see cref="SettingsFingerprint.Matches"/>)
    /// whose checkpoint exists; null otherwise (train it).
    /// </summary>
    public static FoldRecord? ReadMatching(string checkpointFolder, int fold, string checkpoint, string key)
    {
        var path = PathFor(checkpointFolder, fold);
        if (!File.Exists(path) || !File.Exists(checkpoint)) return null;
        try
        {
            var record = JsonSerializer.Deserialize<FoldRecord>(File.ReadAllText(path), SeqTrainConfig.JsonOptions);
            return record is not null && SettingsFingerprint.Matches(record.Key, key) && record.Epochs is not null ? record : null;
        }
        catch (JsonException) { return null; }   // a record from another version, or damaged: the fold is trained again
    }

    /// <summary>Removes a fold's record before the fold is trained, so a checkpoint half-written later is never taken as done.</summary>
    public static void Forget(string checkpointFolder, int fold) => File.Delete(PathFor(checkpointFolder, fold));

    /// <summary>Writes the record through a temporary file, so it exists whole or not at all.</summary>
    public void Save(string checkpointFolder, int fold)
    {
        var path = PathFor(checkpointFolder, fold);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, SeqTrainConfig.JsonOptions));
        File.Move(temp, path, overwrite: true);
    }
}
