using System.Text.Json;
using Ich.Core.Errors;

namespace Ich.Application.TrainAll;

/// <summary>
/// Wall-clock seconds per stage of a train-all run, summed over resumed invocations, in the order the stages first ran.
/// Kept in the run folder as <c>timings.json</c>: one JSON object, key = <see cref="TrainAllStage.Name"/>, value =
/// seconds (e.g. <c>{ "phantoms": 812.4, "cnn-resnet18": 20411.9 }</c>). People read the file and resumed runs add to
/// it, so its keys and shape stay as they are.
/// </summary>
public sealed class StageTimings
{
    public const string FileName = "timings.json";

    private readonly List<TrainAllStage> _order = [];
    private readonly Dictionary<TrainAllStage, double> _seconds = [];

    /// <summary>Each timed stage with its seconds, in the order the stages first ran.</summary>
    public IReadOnlyList<(TrainAllStage Stage, double Seconds)> Entries => _order.Select(s => (s, _seconds[s])).ToList();

    public double TotalSeconds => _seconds.Values.Sum();

    /// <summary>Adds <paramref name="seconds"/> to the stage's time.</summary>
    public void Add(TrainAllStage stage, double seconds)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (!_seconds.ContainsKey(stage)) _order.Add(stage);
        _seconds[stage] = _seconds.GetValueOrDefault(stage) + seconds;
    }

    /// <summary>The timings of the run folder <paramref name="run"/>; empty when it has none yet.</summary>
    /// <exception cref="ConfigException">The file is not an object of stage names and numbers.</exception>
    public static StageTimings Read(string run)
    {
        var path = Path.Combine(run, FileName);
        var timings = new StageTimings();
        if (!File.Exists(path)) return timings;
        Dictionary<string, double>? stored;
        try { stored = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ConfigException($"{FileName} is not an object of stage names and seconds: {e.Message}", path); }
        foreach (var (name, seconds) in stored ?? [])
            timings.Add(TrainAllStage.Find(name) ?? throw new ConfigException($"{FileName} names an unknown stage '{name}'", path), seconds);
        return timings;
    }

    /// <summary>Writes <c>timings.json</c> into the run folder <paramref name="run"/>.</summary>
    public void Save(string run) => File.WriteAllText(Path.Combine(run, FileName), ToJson());

    /// <summary>The file's text: an indented object of stage names and seconds.</summary>
    public string ToJson()
    {
        var file = new Dictionary<string, double>(_order.Count);
        foreach (var stage in _order) file[stage.Name] = _seconds[stage];
        return JsonSerializer.Serialize(file, IndentedJson);
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
}
