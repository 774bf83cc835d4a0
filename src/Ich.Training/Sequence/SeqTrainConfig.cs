using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core.Errors;

namespace Ich.Training.Sequence;

/// <summary>
/// <c>ich train seq --config FILE</c>: where the stage-1 feature stores are and how to train the
/// sequence stage. Defaults are the released winning code's; relative paths are resolved against the
/// working directory (as the CNN configs: run from the repository root). Unknown keys are an error (a typo must not silently fall back to a default).
/// </summary>
public sealed record SeqTrainConfig
{
    /// <summary>Backbone name → folder of its out-of-fold feature store (kind <c>oof</c>, labelled).</summary>
    public Dictionary<string, string> OofStores { get; init; } = new();

    /// <summary>Optional backbone name → fold-averaged test feature store (kind <c>test</c>) to predict after training.</summary>
    public Dictionary<string, string> TestStores { get; init; } = new();

    /// <summary>
    /// Sequence systems, each a list of backbones stacked inside one network. Default: one system per
    /// backbone, averaged afterwards (the paper's ensemble); <c>[["a","b","c"]]</c> is the released code's stacking.
    /// </summary>
    public List<List<string>>? Systems { get; init; }

    /// <summary>Output folder (checkpoints, OOF predictions, ablation table).</summary>
    public string Out { get; init; } = "artifacts/runs/seq";

    public int Folds { get; init; } = 10;
    public int Seed { get; init; } = 48;
    public int Epochs { get; init; } = 40;
    public double LearningRate { get; init; } = 3e-4;
    public List<int> Milestones { get; init; } = [20, 30];
    public double Gamma { get; init; } = 0.1;
    public int BatchScans { get; init; } = 128;
    public int Window { get; init; } = 24;
    /// <summary>Random windows drawn from every training scan per epoch (1 = the released code).</summary>
    public int WindowsPerScan { get; init; } = 1;
    public double EveryOtherProbability { get; init; } = 0.5;
    /// <summary>Every-other-slice subsampling only applies to scans with more slices than this.</summary>
    public int EveryOtherMinSlices { get; init; } = 10;
    public double ReverseProbability { get; init; } = 0.5;

    /// <summary>Spacing used for scans whose slice positions are unknown (e.g. PhysioNet JPG, 5 mm); null = such scans are an error.</summary>
    public double? UnknownSpacingMm { get; init; }

    /// <summary>Scan-level sensitivity the per-class operating point must reach out of fold (triage).</summary>
    public double TargetSensitivity { get; init; } = 0.95;
    /// <summary>Training-time recalibration of the CNN probabilities SeqModel2 reads (<see cref="Sequence.ProbabilityJitter"/>); null = off.</summary>
    public ProbabilityJitter? ProbabilityJitter { get; init; }

    /// <summary>Which epoch each fold keeps (<c>best-val-loss</c> or <c>last</c>; see <see cref="EpochSelection"/>).</summary>
    public EpochSelection Selection { get; init; } = EpochSelection.BestValidationLoss;

    /// <summary>Optional: assemble a complete model folder for <c>ich predict</c> after training.</summary>
    public SeqModelPackaging? Model { get; init; }

    /// <summary>Store checkpoints as float16 (halves the model folder).</summary>
    public bool HalfPrecision { get; init; } = true;

    /// <summary>Layer sizes (FeatureSets, ProbabilitySets and FeatureDim are set from the stores).</summary>
    public Ich.Model.Sequence.SequenceNetOptions Network { get; init; } = new();

    /// <summary>Thread count for libtorch (null = default).</summary>
    public int? Threads { get; init; }

    /// <summary>Train with denormal floats flushed to zero, as <c>CnnTrainConfig.FlushDenormals</c> (off by default, and then not written).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool FlushDenormals { get; init; }

    /// <summary>The folder relative paths are resolved against.</summary>
    [JsonIgnore] public string BaseDirectory { get; init; } = ".";

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    /// <summary>The systems to train (explicit, or one per OOF store in name order).</summary>
    public IReadOnlyList<IReadOnlyList<string>> EffectiveSystems() =>
        Systems?.Select(s => (IReadOnlyList<string>)s).ToList()
        ?? OofStores.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => (IReadOnlyList<string>)new[] { k }).ToList();

    public static SeqTrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("config file not found", path);
        SeqTrainConfig config;
        try
        {
            config = JsonSerializer.Deserialize<SeqTrainConfig>(File.ReadAllText(path), JsonOptions)
                     ?? throw new ConfigException("empty config", path);
        }
        catch (JsonException e) { throw new ConfigException($"invalid JSON: {e.Message}", path); }
        config = config with { BaseDirectory = Directory.GetCurrentDirectory() };
        config.Validate(path);
        return config;
    }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Throws <see cref="ConfigException"/> for any value that cannot work, before training starts.</summary>
    public void Validate(string? path = null)
    {
        void Fail(string m) => throw new ConfigException(m, path);
        if (OofStores.Count == 0) Fail("oofStores is empty: name at least one backbone's out-of-fold feature store");
        if (Folds < 2) Fail($"folds must be >= 2 (got {Folds})");
        if (Epochs < 1) Fail($"epochs must be >= 1 (got {Epochs})");
        if (LearningRate <= 0) Fail($"learningRate must be > 0 (got {LearningRate})");
        if (Gamma is <= 0 or > 1) Fail($"gamma must be in (0, 1] (got {Gamma})");
        if (BatchScans < 1) Fail($"batchScans must be >= 1 (got {BatchScans})");
        if (WindowsPerScan < 1) Fail($"windowsPerScan must be >= 1 (got {WindowsPerScan})");
        if (Window < 2) Fail($"window must be >= 2 (got {Window})");
        if (EveryOtherProbability is < 0 or > 1 || ReverseProbability is < 0 or > 1) Fail("probabilities must be in [0, 1]");
        if (UnknownSpacingMm is <= 0) Fail("unknownSpacingMm must be > 0");
        if (ProbabilityJitter?.Problem() is { } jitter) Fail(jitter);
        if (ProbabilityJitter is not null && !Network.Stage2CnnProbabilities)
            Fail("probabilityJitter acts on the CNN probabilities SeqModel2 reads, and network.stage2CnnProbabilities is false: remove one");
        if (Milestones.Any(m => m < 1)) Fail("milestones must be epochs >= 1");
        if (TargetSensitivity is <= 0 or > 1) Fail("targetSensitivity must be in (0, 1]");
        if (Model is not null)
        {
            if (string.IsNullOrWhiteSpace(Model.Out)) Fail("model.out is required");
            if (Model.CnnFolds is < 1) Fail($"model.cnnFolds must be >= 1 (got {Model.CnnFolds})");
            try { Model.OperatingPoints?.Validate(); } catch (ArgumentException e) { Fail("model." + e.Message); }
            if (!Enum.IsDefined(Model.Ensemble)) Fail("model.ensemble must be \"mean-seqmodel2\", \"mean-all\" or \"cv-selected\"");
            foreach (var name in EffectiveSystems().SelectMany(s => s).Distinct())
                if (!Model.CnnRuns.ContainsKey(name)) Fail($"model.cnnRuns has no CNN run folder for backbone '{name}'");
        }
        if (Network.UseThickness)
            Fail("network.useThickness: feature stores carry no slice thickness (index.csv has no such column); set it to false");
        foreach (var system in EffectiveSystems())
        {
            if (system.Count == 0) Fail("a system lists no backbone");
            foreach (var name in system)
                if (!OofStores.ContainsKey(name)) Fail($"system backbone '{name}' has no entry in oofStores");
            if (TestStores.Count > 0)
                foreach (var name in system)
                    if (!TestStores.ContainsKey(name)) Fail($"testStores has no entry for backbone '{name}'");
        }
        try { Network.Validate(); } catch (ArgumentException e) { Fail("network: " + e.Message); }
    }
}

/// <summary>
/// Where the CNN runs of a sequence config are, to assemble <c>model.json</c> + half-precision checkpoints
/// (the folder <c>ich predict --model</c> takes).
/// </summary>
public sealed record SeqModelPackaging
{
    /// <summary>Model folder to write.</summary>
    public string Out { get; init; } = "";
    public string Name { get; init; } = "ich";
    public string Version { get; init; } = "0.1.0";
    public string IntendedUse { get; init; } =
        "Research and triage-support software for non-contrast head CT of adults: flags scans with suspected acute intracranial hemorrhage for prioritised reading. Not a medical device; not for diagnosis.";
    /// <summary>Backbone name → CNN run folder (holding config.json and fold*/best.model).</summary>
    public Dictionary<string, string> CnnRuns { get; init; } = new();
    /// <summary>
    /// Ship only CNN folds 0…N−1 of every backbone (null = all): inference time grows with the folds. The sequence
    /// networks need no change, since inference runs them once per shipped CNN fold on that fold's own features.
    /// </summary>
    public int? CnnFolds { get; init; }
    /// <summary>
    /// Which out-of-fold scans choose the shipped reader operating points (null = all of them; see <see cref="ReaderCalibration"/>).
    /// A packaging decision: changing it repackages the model without retraining the sequence stage.
    /// </summary>
    public ReaderCalibration? OperatingPoints { get; init; }
    /// <summary>
    /// Which outputs the model averages (<see cref="EnsembleRule"/>). A packaging decision like the operating points: changing
    /// it repackages the model without retraining anything.
    /// </summary>
    public EnsembleRule Ensemble { get; init; } = EnsembleRule.MeanSeqModel2;
}
