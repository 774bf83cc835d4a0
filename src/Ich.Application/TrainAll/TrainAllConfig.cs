using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core.Errors;
using Ich.Training.Cnn;
using Ich.Training.Sequence;

namespace Ich.Application.TrainAll;

/// <summary>A phantom set made by the generator (<c>ich synth</c>): how many scans, which seed, size and slice thickness.</summary>
public sealed record PhantomSetConfig
{
    public int Scans { get; init; } = 80;
    /// <summary>Base seed; scan i depends only on (seed, i).</summary>
    public ulong Seed { get; init; } = 1000;
    /// <summary>Rows = columns in pixels.</summary>
    public int Size { get; init; } = 256;
    /// <summary>Slice thickness in mm (5, 3, 2.5, 1.25, 0.625) or <c>mixed</c>.</summary>
    public string Thickness { get; init; } = "mixed";
    /// <summary>Per-scan parameter ranges (<c>standard</c>, <c>broad</c>, <c>shifted</c>; docs/phantoms.md).</summary>
    public Ich.Synth.PhantomStyle Style { get; init; } = Ich.Synth.PhantomStyle.Standard;
    /// <summary>Which blood the labels and masks count (<c>geometric</c>, the default, or <c>visible</c>; docs/phantoms.md).</summary>
    public Ich.Synth.PhantomLabelRule Labels { get; init; } = Ich.Synth.PhantomLabelRule.Geometric;

    /// <summary>The <c>ich synth</c> options that draw this set.</summary>
    public Ich.Synth.SynthOptions ToSynthOptions() =>
        new() { Seed = Seed, Size = Size, ThicknessMm = Ich.Synth.SynthOptions.ParseThickness(Thickness), Style = Style, Labels = Labels };
}

/// <summary>
/// Real patients of one training dataset locked away as an internal test: left out of every CNN and sequence fold
/// (so no training and no selection touches them), predicted by the finished model folder and reported separately.
/// </summary>
/// <param name="Kind">Dataset adapter kind; must equal a <c>datasets</c> entry's kind.</param>
/// <param name="Path">That entry's path (the patients are taken from, and excluded from, the same dataset).</param>
/// <param name="Patients">Patient IDs as the adapter names them (PhysioNet: the folder name, e.g. <c>051</c>).</param>
public sealed record LockedTestConfig(string Kind, string Path, IReadOnlyList<string> Patients);

/// <summary>
/// <c>ich train all --config FILE</c>: the whole pipeline in one file — training phantoms, one CNN run per
/// backbone (k-fold by patient, OOF features), the sequence stage over every backbone's OOF store, the model
/// folder, an optional held-out phantom check and the model card. Relative paths are resolved against the
/// working directory (run from the repository root). Unknown keys are errors.
/// </summary>
public sealed record TrainAllConfig
{
    /// <summary>Run folder: phantoms/, cnn-&lt;name&gt;/, seq/, holdout/, timings.json.</summary>
    public string Out { get; init; } = "runs/default";

    /// <summary>Training phantoms generated into <c>&lt;out&gt;/phantoms</c> (null = none).</summary>
    public PhantomSetConfig? Phantoms { get; init; }

    /// <summary>Other training datasets (adapter kind + path), used by every backbone.</summary>
    public List<DatasetSpec> Datasets { get; init; } = [];

    /// <summary>Backbone run name → its CNN config (its <c>datasets</c> must be empty: the pipeline fills them in).</summary>
    public Dictionary<string, CnnTrainConfig> Cnn { get; init; } = new();

    /// <summary>Sequence stage settings (<c>oofStores</c>, <c>out</c> and <c>model</c> are filled in by the pipeline).</summary>
    public SeqTrainConfig Seq { get; init; } = new();

    /// <summary>Model folder to write (name, version, intended use; <c>cnnRuns</c> is filled in).</summary>
    public SeqModelPackaging Model { get; init; } = new() { Out = "models/default" };

    /// <summary>Held-out phantoms (a seed not used for training) predicted with the finished model; null = no check.</summary>
    public PhantomSetConfig? Holdout { get; init; }

    /// <summary>
    /// Style-shift phantoms: drawn with settings outside the training ranges (<c>style: shifted</c>), predicted with the
    /// finished model like <see cref="Holdout"/>; the card's proxy for an independent generator. Null = no check.
    /// </summary>
    public PhantomSetConfig? StyleShift { get; init; }

    /// <summary>Ablation name → a <c>cnn</c> run retrained with one lever off (reported in the card, never shipped).</summary>
    public Dictionary<string, CnnAblationConfig> Ablations { get; init; } = new();

    /// <summary>Real development patients that no training or selection touches, reported separately (null = none).</summary>
    public LockedTestConfig? LockedTest { get; init; }

    /// <summary>Optional statement printed at the top of the model card (e.g. that the model is preliminary, and why).</summary>
    public string? CardNote { get; init; }

    /// <summary>libtorch CPU threads (null = all cores).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// The sequence stage's folds are trained by this many worker processes at once, each with one libtorch thread
    /// (<c>ich train seq --fold</c>), and then scored in this process with one thread; 1 (the default) trains them here
    /// with <see cref="Threads"/>. Why: the small sequence networks gain little from a second thread, so two one-thread
    /// folds at a time use the cores better (measured on the default: 38 → 34.7 minutes; the processes compete for memory
    /// bandwidth). Results are deterministic for a given value but differ in the last bits between 1 and more (the thread
    /// count is part of a fold's arithmetic).
    /// </summary>
    public int SeqWorkers { get; init; } = 1;

    /// <summary>
    /// The CNN folds — every backbone's, then every ablation's — are trained by this many worker processes at once, each
    /// with one libtorch thread (<c>ich train cnn --resume RUN --fold K --threads 1</c>), and each run's out-of-fold
    /// features are then written in this process with <see cref="Threads"/>; 1 (the default) trains every fold here with
    /// <see cref="Threads"/>. Why: two one-thread trainings at once get more from two cores than one with two threads
    /// (the small net's fold 0: 10.9 s of throughput per epoch against 14). A fold's weights depend on the thread count it
    /// was trained with (recorded in its <c>state.json</c>), so an unfinished fold resumes only with the count it started
    /// with; finished folds are kept as they are.
    /// </summary>
    public int CnnWorkers { get; init; } = 1;

    /// <summary>
    /// Train every CNN, ablation and sequence fold with denormal floats flushed to zero (docs/training.md, "Denormals"):
    /// late epochs no longer slow down (the default's ResNet: ~105 s → ~58 s per late epoch). The phantoms, out-of-fold features and predictions, the packaged model and its
    /// checks are computed exactly, as <c>ich predict</c> computes. Off by default; given here only, for every stage at once.
    /// </summary>
    public bool FlushDenormals { get; init; }

    [JsonIgnore] public string BaseDirectory { get; init; } = ".";

    /// <summary>The config file's own text (kept for the model card and the run folder).</summary>
    [JsonIgnore] public string SourceText { get; init; } = "";

    /// <summary>The config file path as given.</summary>
    [JsonIgnore] public string SourcePath { get; init; } = "";

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public string RunFolder => Resolve(Out);
    public string PhantomFolder => Path.Combine(RunFolder, "phantoms");
    public string CnnFolder(string name) => Path.Combine(RunFolder, $"cnn-{name}");
    public string SeqFolder => Path.Combine(RunFolder, "seq");
    public string HoldoutFolder => Path.Combine(RunFolder, "holdout");
    public string StyleShiftFolder => Path.Combine(RunFolder, "style-shift");
    public string ModelFolder => Resolve(Model.Out);

    /// <summary>Every training dataset: the generated phantoms (if any) first, then <see cref="Datasets"/>.</summary>
    public List<DatasetSpec> TrainingDatasets()
    {
        var list = new List<DatasetSpec>();
        if (Phantoms is not null) list.Add(new DatasetSpec(Ich.Data.Catalog.DatasetKind.Phantom, PhantomFolder));
        list.AddRange(Datasets.Select(d => d with
        {
            Path = Resolve(d.Path),
            Labels = d.Labels is null ? null : Resolve(d.Labels),
            ExcludePatients = IsLockedTestSource(d) ? LockedTest!.Patients : d.ExcludePatients,
        }));
        return list;
    }

    private bool IsLockedTestSource(DatasetSpec d) =>
        LockedTest is { } t && t.Kind == d.Kind && Resolve(t.Path) == Resolve(d.Path);

    /// <summary>The CNN config of one backbone run, with the training datasets filled in.</summary>
    public CnnTrainConfig CnnConfig(string name) => Cnn[name] with { Datasets = TrainingDatasets(), FlushDenormals = FlushDenormals };

    /// <summary>The CNN config of one ablation: its base run's config with the override applied.</summary>
    public CnnTrainConfig AblationConfig(string name) => Ablations[name].Apply(CnnConfig(Ablations[name].Of));

    /// <summary>The sequence config: OOF stores of every CNN run, the seq folder, and the model packaging.</summary>
    public SeqTrainConfig SeqConfig() => Seq with
    {
        OofStores = Cnn.Keys.ToDictionary(k => k, k => Path.Combine(CnnFolder(k), "features", "oof")),
        TestStores = new(),
        Out = SeqFolder,
        FlushDenormals = FlushDenormals,
        Model = Model with { Out = ModelFolder, CnnRuns = Cnn.Keys.ToDictionary(k => k, CnnFolder) },
        BaseDirectory = BaseDirectory,
    };

    /// <summary>The training configs' one JSON dialect (camelCase, comments and trailing commas allowed, unknown keys refused).</summary>
    public static JsonSerializerOptions JsonOptions => SeqTrainConfig.JsonOptions;

    /// <summary>Reads and validates a config; every problem is a <see cref="ConfigException"/> naming the file.</summary>
    public static TrainAllConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("config file not found", path);
        var text = File.ReadAllText(path);
        TrainAllConfig config;
        try { config = JsonSerializer.Deserialize<TrainAllConfig>(text, JsonOptions) ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new ConfigException($"invalid config JSON: {e.Message}", path); }
        config = config with { BaseDirectory = Directory.GetCurrentDirectory(), SourceText = text, SourcePath = path };
        config.Validate(path);
        return config;
    }

    /// <summary>Checks the pipeline-level values and every stage's config before anything runs.</summary>
    public void Validate(string? path = null)
    {
        void Fail(string m) => throw new ConfigException(m, path);
        if (string.IsNullOrWhiteSpace(Out)) Fail("out is required");
        if (Cnn.Count == 0) Fail("cnn lists no backbone run");
        if (Phantoms is null && Datasets.Count == 0) Fail("no training data: give phantoms and/or datasets");
        if (SeqWorkers is < 1 or > 64) Fail($"seqWorkers {SeqWorkers}: give 1 (train in this process) to 64");
        if (CnnWorkers is < 1 or > 64) Fail($"cnnWorkers {CnnWorkers}: give 1 (train in this process) to 64");
        foreach (var set in new[] { Phantoms, Holdout, StyleShift })
        {
            if (set is null) continue;
            if (set.Scans < 1) Fail($"phantom set: scans must be >= 1 (got {set.Scans})");
            try { set.ToSynthOptions().Validate(); }
            catch (ConfigException e) { Fail($"phantom set: {e.Message}"); }
        }
        if (LockedTest is { } locked)
        {
            if (locked.Patients is not { Count: > 0 } || locked.Patients.Any(string.IsNullOrWhiteSpace)) Fail("lockedTest.patients must list at least one patient");
            if (locked.Patients.Distinct().Count() != locked.Patients.Count) Fail("lockedTest.patients lists a patient twice");
            if (!Datasets.Any(IsLockedTestSource))
                Fail($"lockedTest names dataset '{locked.Kind}' at '{locked.Path}', which is not one of the training datasets");
            if (Datasets.Any(d => d.ExcludePatients is { Count: > 0 })) Fail("give excluded patients through lockedTest, not datasets[].excludePatients");
        }
        if (StyleShift is { } shift && shift.Style == (Phantoms?.Style ?? Ich.Synth.PhantomStyle.Standard))
            Fail($"styleShift.style '{shift.Style.ToString().ToLowerInvariant()}' is the training phantoms' style: a style-shift set must use another (e.g. shifted)");
        if (StyleShift is not null && Phantoms is not null && StyleShift.Seed == Phantoms.Seed)
            Fail($"styleShift.seed {StyleShift.Seed} equals phantoms.seed: use a seed not used for training");
        if (Holdout is not null && Phantoms is not null && Holdout.Seed == Phantoms.Seed)
            Fail($"holdout.seed {Holdout.Seed} equals phantoms.seed: held-out phantoms must come from a seed not used for training");
        foreach (var (name, cnn) in Cnn)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', '+', ' ']) >= 0) Fail($"cnn run name '{name}' must be a plain word");
            if (cnn.Datasets.Count > 0) Fail($"cnn.{name}.datasets must be empty (the pipeline trains every backbone on phantoms + datasets)");
            if (cnn.FlushDenormals) Fail($"cnn.{name}.flushDenormals: give flushDenormals at the top level (it applies to every training stage)");
            if (cnn.TrainFolds is { } partial && partial < cnn.Folds)
                Fail($"cnn.{name}.trainFolds {partial}: the sequence stage needs every fold's out-of-fold rows; only an ablation may train fewer folds");
            try { CnnConfig(name).Validate(); } catch (ConfigException e) { Fail($"cnn.{name}: {e.Message}"); }
        }
        foreach (var (name, ablation) in Ablations)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', '+', ' ']) >= 0) Fail($"ablation name '{name}' must be a plain word");
            if (Cnn.ContainsKey(name)) Fail($"ablation '{name}' has the name of a cnn run");
            if (!Cnn.ContainsKey(ablation.Of)) Fail($"ablations.{name}.of: no cnn run '{ablation.Of}'");
            else if (ablation.ChangesNothing) Fail($"ablations.{name} changes nothing");
            else try { AblationConfig(name).Validate(); } catch (ConfigException e) { Fail($"ablations.{name}: {e.Message}"); }
        }
        // Ablations at another schedule than their run's are compared with one reference at that schedule, not with the run.
        foreach (var group in Ablations.GroupBy(a => a.Value.Of).Where(g => g.Any(a => a.Value.Epochs is not null)))
        {
            if (group.Select(a => a.Value.Epochs).Distinct().Count() > 1)
                Fail($"ablations of '{group.Key}': set the same epochs in all of them or in none ({string.Join(", ", group.Select(a => $"{a.Key}: {a.Value.Epochs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the run's"}"))})");
            if (group.Count(a => a.Value.IsReference) != 1)
                Fail($"ablations of '{group.Key}' at {group.First().Value.Epochs} epochs need exactly one reference that changes no lever (the run retrained at that schedule), which the others are compared with");
        }
        try { Model.OperatingPoints?.Validate(); } catch (ArgumentException e) { Fail("model." + e.Message); }
        // A misspelt dataset would otherwise surface only at packaging, hours of training later.
        var trained = TrainingDatasets().Select(d => (string)d.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var name in Model.OperatingPoints?.Datasets.Where(d => !trained.Contains(d)) ?? [])
            Fail($"model.operatingPoints.datasets: '{name}' is not a training dataset (training datasets: {string.Join(", ", trained)})");
        if (Seq.FlushDenormals) Fail("seq.flushDenormals: give flushDenormals at the top level (it applies to every training stage)");
        try { SeqConfig().Validate(); } catch (ConfigException e) { Fail($"seq: {e.Message}"); }
        if (string.IsNullOrWhiteSpace(Model.Out)) Fail("model.out is required");
    }
}
