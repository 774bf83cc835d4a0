using System.Text.Json;
using Ich.Core.Errors;
using Ich.Model.Folder;
using Ich.Model.Cnn;
using Ich.Model.Sequence;
using Ich.Training.Cnn;
using Ich.Training.Sequence;

namespace Ich.Application.TrainAll;

/// <summary>
/// Assembles the model folder <c>ich predict --model</c> loads from the files of a finished sequence run
/// (<c>sequence.json</c>, the out-of-fold predictions <c>oof_&lt;system&gt;.csv</c>) and the CNN run folders it names, so
/// packaging can be repeated after a restart without re-training anything. It chooses the ensemble's members
/// (<see cref="EnsembleSelection"/>, as <c>model.ensemble</c> says; the record in <see cref="EnsembleSelection.FileName"/>), ships
/// only the systems and backbones they use, and chooses the reader operating points
/// (<see cref="ReaderOperatingPoints"/>, calibrated as <c>model.operatingPoints</c> says) and ships them in
/// <c>model.json</c>, with the evidence for each in <see cref="ReaderOperatingPointFile"/> beside it.
/// </summary>
public static class ModelPackager
{
    /// <summary>Issue 12's reader operating points with what each achieved out of fold, in the model folder.</summary>
    public const string ReaderOperatingPointFile = "reader_operating_points.json";

    /// <summary>Writes the model folder of <paramref name="config"/> (its <c>model</c> section must be set).</summary>
    /// <returns>Total size of the folder in bytes.</returns>
    public static long Package(SeqTrainConfig config)
    {
        var packaging = config.Model ?? throw new ConfigException("the sequence config has no model section");
        var seqDir = config.Resolve(config.Out);
        var trained = ReadTrained(seqDir);
        var systems = trained.Systems.Select(s => s.Name).ToList();
        var outputs = OofEnsemble.ReadOutputs(seqDir, systems);
        if (outputs.Count == 0) throw new ConfigException("the sequence run's out-of-fold files hold no slice", seqDir);
        var ensemble = EnsembleSelection.Choose(outputs, systems, packaging.Ensemble);
        // A system none of the shipped members needs is not shipped (nor are backbones only it uses): it would cost time and add nothing.
        var sequence = trained with { Systems = trained.Systems.Where(s => ensemble.Shipped.Any(m => m.System == s.Name)).ToList() };
        // The reader operating points (any at OOF sensitivity >= 0.95, subtypes at OOF specificity >= 0.90 or not flagged),
        // on the ensemble's out-of-fold predictions.
        var answer = OofEnsemble.Combine(outputs, ensemble);
        var answerFiles = OofAnswerFiles.Write(seqDir, answer);
        var stageFiles = OofStageFiles.Write(seqDir, outputs, systems);
        var op = ChooseOperatingPoints(seqDir, answer, packaging.OperatingPoints);

        var backbones = new List<BackboneSource>();
        foreach (var name in sequence.Systems.SelectMany(s => s.Backbones).Distinct())
        {
            if (!packaging.CnnRuns.TryGetValue(name, out var runPath)) throw new ConfigException($"no CNN run folder for backbone '{name}'");
            var run = config.Resolve(runPath);
            var cnn = CnnTrainConfig.Load(Path.Combine(run, "config.json"));
            var shipped = Math.Min(cnn.Folds, packaging.CnnFolds ?? cnn.Folds);
            var checkpoints = Enumerable.Range(0, shipped).Select(k => Path.Combine(run, $"fold{k}", "best.model")).ToList();
            foreach (var c in checkpoints.Where(c => !File.Exists(c))) throw new ConfigException("CNN checkpoint missing", c);
            var decoders = ShippedDecoders(name, checkpoints);
            var system = sequence.Systems.First(s => s.Backbones.Contains(name));
            var dim = system.BackboneDims[system.Backbones.IndexOf(name)];
            backbones.Add(new BackboneSource(
                new BackboneEntry { Name = name, Architecture = cnn.Backbone, ImageSize = cnn.ImageSize, FeatureDim = dim, CenterCrop = cnn.ValCenterCrop, Framing = cnn.Framing, SlabMm = cnn.SlabMm },
                checkpoints.Select(path => (Func<SliceCnn>)(() => CnnModels.Load(cnn.Backbone, path))).ToList(), decoders, cnn.MaskChannels.Count()));
        }
        var calibration = packaging.OperatingPoints is { } cal
            ? $"calibrated on {string.Join("+", cal.Datasets)} scans where they hold >= {cal.MinScans.ToString(System.Globalization.CultureInfo.InvariantCulture)} positive and negative scans of the class, else on all"
            : "calibrated on all out-of-fold scans";
        var template = new ModelManifest
        {
            Name = packaging.Name,
            Version = packaging.Version,
            IntendedUse = packaging.IntendedUse,
            Ensemble = new EnsembleManifest { Members = ensemble.Shipped, Description = EnsembleSelection.Describe(ensemble) },
            OperatingPoint = new OperatingPoint
            {
                // model.json is a file format: numbers in it never follow the machine's culture.
                Description = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"any: {op[0].Rule}; each subtype: flagged at the lowest threshold keeping out-of-fold scan specificity >= " +
                    $"{ReaderOperatingPoints.DefaultSubtypeSpecificity:0.##}, or shown as a probability only " +
                    $"(out-of-fold ensemble, {config.Folds}-fold CV by patient; {calibration}; details in {ReaderOperatingPointFile})"),
                Thresholds = op.ToDictionary(p => p.Class, p => p.Flag ? p.Threshold : null),
            },
        };
        var records = new Dictionary<string, string>
        {
            [ReaderOperatingPointFile] = JsonSerializer.Serialize(op, SeqTrainConfig.JsonOptions),
            [EnsembleSelection.FileName] = EnsembleSelection.ToJson(ensemble),
        };
        foreach (var (path, text) in OofEvidence.Records(answerFiles, stageFiles)) records[path] = text;
        return ModelFolderWriter.Write(config.Resolve(packaging.Out), template, backbones, sequence, seqDir, config.HalfPrecision, records);
    }

    /// <summary>The reader operating points of the run's out-of-fold ensemble, per scan (scan maxima over its slices).</summary>
    private static IReadOnlyList<ReaderOperatingPoint> ChooseOperatingPoints(string seqDir, IReadOnlyList<OofSlice> slices, ReaderCalibration? calibration)
    {
        var scans = slices.GroupBy(s => (s.Dataset, s.ScanId))
            .Select(g =>
            {
                var ordered = g.OrderBy(s => s.SliceIndex).ToList();
                var probs = ordered.SelectMany(s => s.Ensemble.Select(p => (float)p)).ToArray();
                var labels = ordered.SelectMany(s => s.Labels.Select(l => l ? 1f : 0f)).ToArray();
                return (g.Key.Dataset, probs, labels);
            }).ToList();
        try { return ReaderOperatingPoints.Choose(scans, calibration); }
        catch (ArgumentException e) { throw new ConfigException("model." + e.Message, seqDir); }
    }

    /// <summary>
    /// The <c>best.decoder</c> beside every shipped fold's <c>best.model</c> (a run trained with a mask loss), or null when no
    /// fold has one. All or none: a partial set would give the predicted mask of some folds only, so it is an error.
    /// </summary>
    public static List<string>? ShippedDecoders(string backbone, IReadOnlyList<string> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var decoders = checkpoints.Select(c => Path.Combine(Path.GetDirectoryName(c)!, "best.decoder")).ToList();
        var missing = decoders.Where(d => !File.Exists(d)).ToList();
        if (missing.Count == decoders.Count) return null;
        if (missing.Count > 0)
            throw new ConfigException($"backbone '{backbone}': {decoders.Count - missing.Count} of {decoders.Count} shipped folds have a segmentation decoder; " +
                                      "ship all or none (retrain or remove the others)", missing[0]);
        return decoders;
    }

    /// <summary>The systems a finished sequence stage trained (<c>sequence.json</c>); missing or unreadable is a <see cref="ConfigException"/>.</summary>
    public static SequenceManifest ReadTrained(string seqDir)
    {
        var trained = ReadJson<SequenceManifest>(Path.Combine(seqDir, SeqRun.ManifestFile));
        if (trained.Systems is not { Count: > 0 }) throw new ConfigException("the sequence stage names no system", Path.Combine(seqDir, SeqRun.ManifestFile));
        return trained;
    }

    private static T ReadJson<T>(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("missing output of the sequence stage", path);
        try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path), SeqTrainConfig.JsonOptions) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new ConfigException($"unreadable: {e.Message}", path); }
    }
}
