using System.Text.Json.Serialization;

namespace Ich.Model.Folder;

/// <summary>One of the two outputs every sequence system gives per slice (its network is trained on both).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SequenceOutput>))]
public enum SequenceOutput
{
    /// <summary>The BiGRU over the CNN features.</summary>
    [JsonStringEnumMemberName("seqModel1")] SeqModel1,
    /// <summary>The stacked model over the CNN and SeqModel1 probabilities and the slice spacing.</summary>
    [JsonStringEnumMemberName("seqModel2")] SeqModel2,
}

/// <summary>One averaged output: a sequence system's SeqModel1 or SeqModel2 probabilities.</summary>
public sealed record EnsembleMember(string System, SequenceOutput Output)
{
    public override string ToString() => $"{System}/{(Output == SequenceOutput.SeqModel1 ? "seqModel1" : "seqModel2")}";
}

/// <summary>
/// <c>model.json</c>'s <c>ensemble</c>: the outputs whose unweighted mean is the model's answer, and how they were chosen.
/// A model folder without it averages every system's SeqModel2 (the released code's ensemble, and every model folder
/// packaged before the section existed).
/// </summary>
public sealed record EnsembleManifest
{
    public List<EnsembleMember> Members { get; init; } = [];
    /// <summary>How the members were chosen, for reports and the model card.</summary>
    public string Description { get; init; } = "";

    /// <summary>Every system's SeqModel2: the ensemble of the released code.</summary>
    public static List<EnsembleMember> AllSeqModel2(IEnumerable<string> systems) =>
        systems.Select(s => new EnsembleMember(s, SequenceOutput.SeqModel2)).ToList();

    /// <summary>The first problem with the members given the systems the folder holds, or null.</summary>
    public string? Problem(IReadOnlyCollection<string> systems)
    {
        if (Members is null || Members.Count == 0) return "ensemble: no members";
        foreach (var m in Members)
        {
            if (m is null || string.IsNullOrEmpty(m.System)) return "ensemble: a member without a system";
            if (!systems.Contains(m.System)) return $"ensemble: member {m} names a system the folder does not hold";
            if (!Enum.IsDefined(m.Output)) return $"ensemble: member {m.System} has no valid output (\"seqModel1\" or \"seqModel2\")";
        }
        if (Members.Distinct().Count() != Members.Count) return "ensemble: a member is listed twice";
        return null;
    }
}
