using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core;
using Ich.Core.Errors;
using Ich.Core.Scans;
using Ich.Model.Sequence;

namespace Ich.Model.Folder;

/// <summary>
/// <c>model.json</c>: everything <c>ich predict</c> needs, loadable with no network (see docs/predict.md).
/// Paths are relative to the model folder.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "model.json";
    public const string FormatId = "ich-model/1";

    /// <summary>Must be <c>ich-model/1</c>.</summary>
    public string Format { get; init; } = FormatId;
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    /// <summary>The model card's intended-use line, shown in every report.</summary>
    public string IntendedUse { get; init; } = "";
    /// <summary>Output class order; must equal <see cref="HemorrhageClasses.Names"/>.</summary>
    public List<string> Classes { get; init; } = [];
    public List<BackboneEntry> Backbones { get; init; } = [];
    public SequenceManifest? Sequence { get; init; }
    /// <summary>The outputs averaged into the answer (null: every system's SeqModel2, see <see cref="EnsembleManifest"/>).</summary>
    public EnsembleManifest? Ensemble { get; init; }
    public OperatingPoint OperatingPoint { get; init; } = new();

    /// <summary>The outputs whose unweighted mean is the model's answer.</summary>
    public IReadOnlyList<EnsembleMember> EnsembleMembers() =>
        Ensemble?.Members ?? EnsembleManifest.AllSeqModel2(Sequence?.Systems.Select(s => s.Name) ?? []);

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        WriteIndented = true,
    };

    public static ModelManifest Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new ConfigException($"not a model folder ({FileName} missing)", folder);
        ModelManifest m;
        try { m = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions) ?? throw new ConfigException("empty", path); }
        catch (JsonException e) { throw new ConfigException($"invalid JSON: {e.Message}", path); }
        m.Validate(folder);
        return m;
    }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, JsonOptions));
    }

    /// <summary>Checks the format, class order, that every system's backbones exist and every file is present.</summary>
    public void Validate(string folder)
    {
        var path = Path.Combine(folder, FileName);
        void Fail(string message) => throw new ConfigException(message, path);
        if (Format != FormatId) Fail($"format '{Format}' is not '{FormatId}'");
        if (!Classes.SequenceEqual(HemorrhageClasses.Names)) Fail($"classes must be [{string.Join(", ", HemorrhageClasses.Names)}]");
        if (Backbones.Count == 0) Fail("no backbones");
        if (Sequence is null || Sequence.Systems.Count == 0) Fail("no sequence systems");
        foreach (var b in Backbones)
        {
            if (Ich.Model.Cnn.CnnFactory.ImageSizeProblem(b.Architecture, b.ImageSize) is { } sizeProblem) Fail($"backbone {b.Name}: {sizeProblem}");
            if (b.Checkpoints.Count == 0) Fail($"backbone {b.Name}: no checkpoints");
            if (b.CenterCrop is <= 0 or > 1) Fail($"backbone {b.Name}: centerCrop must be in (0, 1]");
            if (!Enum.IsDefined(b.Framing)) Fail($"backbone {b.Name}: framing must be \"field\" or \"head\"");
            if (b.SlabMm is { } slab && (slab is < SlabPlan.MinSlabMm or > SlabPlan.MaxSlabMm || double.IsNaN(slab)))
                Fail($"backbone {b.Name}: slabMm must be {SlabPlan.MinSlabMm}–{SlabPlan.MaxSlabMm} mm");
            foreach (var c in b.Checkpoints) if (!File.Exists(Path.Combine(folder, c))) Fail($"backbone {b.Name}: checkpoint '{c}' missing");
            if (b.HasDecoders && b.Decoders!.Count != b.Checkpoints.Count)
                Fail($"backbone {b.Name}: {b.Decoders.Count} decoders for {b.Checkpoints.Count} checkpoints (give one per fold, or none)");
            foreach (var d in b.Decoders ?? []) if (!File.Exists(Path.Combine(folder, d))) Fail($"backbone {b.Name}: decoder '{d}' missing");
        }
        foreach (var s in Sequence!.Systems)
        {
            if (s.Checkpoints.Count == 0) Fail($"sequence system {s.Name}: no checkpoints");
            foreach (var name in s.Backbones)
                if (Backbones.All(b => b.Name != name)) Fail($"sequence system {s.Name}: backbone '{name}' not in backbones");
            foreach (var c in s.Checkpoints) if (!File.Exists(Path.Combine(folder, c))) Fail($"sequence system {s.Name}: checkpoint '{c}' missing");
        }
        if (Ensemble?.Problem(Sequence.Systems.Select(s => s.Name).ToList()) is { } ensembleProblem) Fail(ensembleProblem);
        OperatingPoint.Validate(Fail);
    }
}

/// <summary>
/// One CNN backbone: architecture name for <see cref="Ich.Model.Cnn.CnnFactory"/>, input side, feature size, one checkpoint per
/// fold, and optionally one segmentation decoder per fold (the predicted-mask explanation).
/// </summary>
public sealed record BackboneEntry
{
    public string Name { get; init; } = "";
    public string Architecture { get; init; } = "";
    public int ImageSize { get; init; }
    public int FeatureDim { get; init; }
    /// <summary>Centre-crop ratio of the evaluation input (the CNN's <c>valCenterCrop</c>; 1 = none), see <see cref="Ich.Model.Cnn.CnnInputs"/>.</summary>
    public double CenterCrop { get; init; } = 0.8;
    /// <summary>
    /// JSON <c>framing</c>: the region of each slice the CNN sees (<c>field</c>, the default and every model made before
    /// framing existed, or <c>head</c>: one square per scan around the head). Must be what the CNN was trained with.
    /// </summary>
    public InputFraming Framing { get; init; } = InputFraming.Field;
    /// <summary>
    /// JSON <c>slabMm</c>: series thinner than this are read as slabs of it (<see cref="SlabPlan"/>), as the CNN was trained.
    /// Omitted when null (every slice as it is: every model made before slabs existed).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SlabMm { get; init; }
    public List<string> Checkpoints { get; init; } = [];

    /// <summary>
    /// JSON <c>decoders</c>: the <see cref="Ich.Model.Cnn.Segmentation.SegmentationDecoder"/> of each fold, parallel to
    /// <see cref="Checkpoints"/> (decoder k runs on checkpoint k's feature map). Null or empty = this backbone has none;
    /// otherwise exactly one per checkpoint. Omitted from model.json when null, so folders without decoders are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Decoders { get; init; }

    /// <summary>Whether this backbone ships segmentation decoders.</summary>
    [JsonIgnore]
    public bool HasDecoders => Decoders is { Count: > 0 };
}

/// <summary>
/// The documented operating point: per-class probability thresholds on the scan maximum. A scan is
/// flagged for a class when its maximum slice probability is ≥ the threshold; the triage flag is the
/// <c>any</c> flag. A subtype whose threshold is <c>null</c> is never flagged: no threshold kept its
/// out-of-fold false-alarm rate low enough, so readers see its probability only (and no overlay for it).
/// </summary>
public sealed record OperatingPoint
{
    public string Description { get; init; } = "";
    public Dictionary<string, double?> Thresholds { get; init; } = new();

    /// <summary>Thresholds in class order; null = the class is shown as a probability, never flagged.</summary>
    [JsonIgnore]
    public double?[] InClassOrder => HemorrhageClasses.Names.Select(n => Thresholds[n]).ToArray();

    /// <summary>The triage (<c>any</c>) threshold; never null in a validated manifest.</summary>
    [JsonIgnore]
    public double AnyThreshold => Thresholds[HemorrhageClasses.Names[0]] ?? throw new InvalidOperationException("operating point without an 'any' threshold");

    /// <summary>Whether a scan maximum of <paramref name="scanMax"/> flags class <paramref name="c"/>.</summary>
    public static bool Flags(double? threshold, double scanMax) => threshold is { } t && scanMax >= t;

    internal void Validate(Action<string> fail)
    {
        foreach (var name in HemorrhageClasses.Names)
        {
            if (!Thresholds.TryGetValue(name, out var t)) fail($"operatingPoint.thresholds.{name} is missing (give a number in (0, 1), or null for 'probability only, no flag')");
            else if (t is null && name == HemorrhageClasses.Names[0]) fail($"operatingPoint.thresholds.{name} must be a number: the triage flag cannot be switched off");
            else if (t is <= 0 or >= 1) fail($"operatingPoint.thresholds.{name} must be in (0, 1) or null");
        }
        foreach (var key in Thresholds.Keys)
            if (HemorrhageClasses.IndexOf(key) < 0) fail($"operatingPoint.thresholds: unknown class '{key}'");
    }
}
