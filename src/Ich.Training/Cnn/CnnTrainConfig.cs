using System.Text.Json;
using System.Text.Json.Serialization;
using Ich.Core.Errors;
using Ich.Core.Scans;

namespace Ich.Training.Cnn;

/// <summary>One dataset of a training or feature run: adapter kind (Ich.Data DatasetKind), path, optional label file.</summary>
/// <param name="ExcludePatients">Patients left out entirely (e.g. a locked test set that no training or selection may touch).</param>
public sealed record DatasetSpec(string Kind, string Path, string? Labels = null, IReadOnlyList<string>? ExcludePatients = null);

/// <summary>How training slices are drawn each epoch.</summary>
public sealed record SamplingConfig
{
    /// <summary><c>uniform</c> (every slice once), <c>positive-oversample</c> (slices with any=1 drawn
    /// <see cref="PositiveWeight"/>× as often, with replacement) or <c>study-triangular</c> (the winning code:
    /// random scan, then a slice from triangular weights favouring central slices; <see cref="StudyMultiplier"/>× scans per epoch).</summary>
    public string Kind { get; init; } = "uniform";
    public double PositiveWeight { get; init; } = 3;
    public int StudyMultiplier { get; init; } = 4;
    /// <summary>Cap on training items per epoch (null = the strategy's natural length).</summary>
    public int? MaxPerEpoch { get; init; }

    /// <summary>
    /// <c>positive-oversample</c> only: the expected share of each epoch's draws that comes from a dataset
    /// (<c>ScanRecord.Dataset</c>: <c>physionet</c>, <c>phantom</c>, …), each in (0, 1]. Datasets not listed share the rest
    /// in proportion to their own weights. Empty = draws in proportion to slice counts, so growing one pool (say more
    /// phantoms) shrinks every other dataset's share; listing a share keeps it fixed whatever the pools' sizes.
    /// </summary>
    public IReadOnlyDictionary<string, double> DatasetShares { get; init; } = new Dictionary<string, double>();
}

/// <summary>Train-time augmentation (the paper's and code's, §1.5); probabilities per sample.</summary>
public sealed record AugmentConfig
{
    public bool Enabled { get; init; } = true;
    /// <summary>Random crop side ratio range, resized back.</summary>
    public double CropMin { get; init; } = 0.6;
    public double CropMax { get; init; } = 0.99;
    /// <summary>Probability of the shift/scale/aspect/rotation warp.</summary>
    public double AffineP { get; init; } = 0.5;
    /// <summary>Shift (fraction of the side), scale and aspect (relative) ranges: ±value.</summary>
    public double Shift { get; init; } = 0.1;
    public double Scale { get; init; } = 0.1;
    public double Aspect { get; init; } = 0.1;
    public double RotationDeg { get; init; } = 30;
    public double HFlipP { get; init; } = 0.5;
    public double ErasingP { get; init; } = 0.5;
    public double ErasingAreaMin { get; init; } = 0.02;
    public double ErasingAreaMax { get; init; } = 0.4;
    /// <summary>Intensity changes in HU before windowing (off unless its <c>p</c> &gt; 0).</summary>
    public IntensityAugmentConfig Intensity { get; init; } = new();
}

/// <summary>
/// Train-time intensity changes, made in HU on the network grid before the windows (so each window clips what it would
/// clip on a real scan): what differs between scanners, reconstruction kernels and phantom generators rather than
/// between heads. With probability <see cref="P"/> a sample gets every configured change, each drawn on its own
/// (<see cref="IntensityAugmenter"/>); the defaults change nothing.
/// </summary>
public sealed record IntensityAugmentConfig
{
    /// <summary>Probability per sample.</summary>
    public double P { get; init; }
    /// <summary>Soft-tissue contrast factor drawn from U(1 − contrast, 1 + contrast), at most 0.4 (the map stays increasing).</summary>
    public double Contrast { get; init; }
    /// <summary>Calibration offset drawn from U(−offsetHu, offsetHu).</summary>
    public double OffsetHu { get; init; }
    /// <summary>White Gaussian noise of standard deviation drawn from U(0, noiseHu).</summary>
    public double NoiseHu { get; init; }
    /// <summary>Gaussian blur (a softer kernel) of standard deviation drawn from U(0, blurPx) network pixels.</summary>
    public double BlurPx { get; init; }
    /// <summary>
    /// Noise grain: the added noise is correlated over a Gaussian of standard deviation drawn from U(0, grainPx) network
    /// pixels (at its drawn level in HU), as reconstruction kernels shape real CT noise; 0 (the default) keeps it white.
    /// </summary>
    public double GrainPx { get; init; }
    /// <summary>
    /// Unsharp-mask amount drawn from U(0, sharpen), applied after the blur (a sharper kernel, the other way from
    /// <see cref="BlurPx"/>); 0 (the default) draws nothing, so earlier configs keep their random stream.
    /// </summary>
    public double Sharpen { get; init; }
    /// <summary>
    /// Brain lift drawn from U(0, brainLiftHu), at most 10 HU (<see cref="IntensityAugmenter.BrainLift"/>): gray and white
    /// matter denser while blood, bone and air keep their values; 0 (the default) draws nothing, so earlier configs keep
    /// their random stream.
    /// </summary>
    public double BrainLiftHu { get; init; }
}

/// <summary>
/// <c>ich train cnn --config FILE</c>: every knob of stage-1 training. Unknown JSON keys are rejected so a
/// typo never silently falls back to a default.
/// </summary>
public sealed record CnnTrainConfig
{
    /// <summary>Backbone name (<see cref="Ich.Model.Cnn.CnnFactory.Names"/>).</summary>
    public string Backbone { get; init; } = "small";
    /// <summary><c>scratch</c>, <c>imagenet</c> (resnet18-imagenet from the ONNX package) or a weight file (.pth via PyBridge, strict; else TorchSharp format).</summary>
    public CnnInit Init { get; init; } = CnnInit.Scratch;
    /// <summary>ONNX file for <c>init: imagenet</c>; default: the NuGet cache copy.</summary>
    public string? ImageNetOnnx { get; init; }
    public int ImageSize { get; init; } = 256;
    public int BatchSize { get; init; } = 16;
    public int Epochs { get; init; } = 10;
    public int Folds { get; init; } = 5;
    /// <summary>
    /// Train only the first N of the <see cref="Folds"/> folds (null = all). The split stays that of <see cref="Folds"/>,
    /// so fold k holds the same patients as in a full run; the out-of-fold store then covers only those folds'
    /// validation patients. For comparing a variant with a full run on the same patients at a fraction of the cost
    /// (train-all ablations); the sequence stage refuses such a store.
    /// </summary>
    public int? TrainFolds { get; init; }
    /// <summary>The number of folds trained: <see cref="TrainFolds"/>, else <see cref="Folds"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int TrainedFolds => TrainFolds ?? Folds;

    /// <summary>
    /// Train with denormal floats flushed to zero (<see cref="Ich.Model.Runtime.DenormalFlushing"/>): late epochs no
    /// longer slow down (the default's ResNet: ~105 s → ~58 s per late epoch); values below 1.2e-38 become 0, so the weights differ from an exact run in their low bits. Off by
    /// default (and then left out of the saved config), so existing recipes train bit for bit as before.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool FlushDenormals { get; init; }
    /// <summary>
    /// Keep, as each fold's model, the mean of the weights after every optimizer step from this fraction of the schedule on
    /// (<see cref="WeightAverage"/>; e.g. 0.67 = the last third); 0 (the default) = off. When on, validation after the
    /// average has started, <c>best.model</c> (and <c>best.decoder</c>) and so the out-of-fold features and the shipped
    /// model are the average, while training continues on the live weights (<c>last.model</c>, with the average beside it
    /// in <c>last.ema</c> for an exact resume). Off, it is left out of the saved config, so existing recipes and run folders
    /// train and resume as before.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public double AverageWeightsFrom { get; init; }

    /// <summary>
    /// The first optimizer step (0-based) of the weight average for <paramref name="batchesPerEpoch"/>: the step at
    /// <see cref="AverageWeightsFrom"/> of the schedule, and never after the last step (a fold averages at least its last weights).
    /// </summary>
    public long AverageStartStep(int batchesPerEpoch)
    {
        var total = (long)Epochs * batchesPerEpoch;
        return Math.Min(total - 1, (long)Math.Ceiling(AverageWeightsFrom * total));
    }
    public long Seed { get; init; } = 42;
    /// <summary>Adam learning rate, betas (0.9, 0.999), eps 1e-8, weight decay.</summary>
    public double Lr { get; init; } = 5e-4;
    public double WeightDecay { get; init; } = 2e-5;
    /// <summary><c>constant</c>, <c>cosine</c> (to <see cref="MinLr"/> over all epochs) or <c>warm-restarts</c> (SGDR: period <see cref="RestartPeriod"/> epochs, × <see cref="RestartMult"/>).</summary>
    public string Schedule { get; init; } = "cosine";
    public double MinLr { get; init; } = 1e-5;
    public int RestartPeriod { get; init; } = 5;
    public int RestartMult { get; init; } = 2;
    /// <summary>Epochs at constant lr before the schedule starts (the code: 10).</summary>
    public int ConstantEpochs { get; init; }
    /// <summary>Loss weights per class (default: 2 for any, 1 for subtypes, as the paper).</summary>
    public double[] LossWeights { get; init; } = [2, 1, 1, 1, 1, 1];
    /// <summary>
    /// Weight of an extra loss term: BCE of the five subtypes on the bleeding slices of the batch only
    /// (<see cref="CnnLoss.SubtypeGivenBleed"/>); 0 = off, the plain weighted loss.
    /// </summary>
    public double SubtypeGivenBleed { get; init; }
    public SamplingConfig Sampling { get; init; } = new();
    public AugmentConfig Augment { get; init; } = new();
    /// <summary>Synthetic bleeds inserted into negative training slices (off unless probability &gt; 0).</summary>
    public BleedInsertionConfig InsertBleeds { get; init; } = new();
    /// <summary>Weight of the segmentation (mask) loss beside the classification loss; 0 = off (no decoder is built).</summary>
    public double MaskLoss { get; init; }
    /// <summary>What the decoder draws: <c>blood</c> (one channel, default) or <c>subtypes</c> (blood and one channel per subtype).</summary>
    public MaskChannels MaskChannels { get; init; } = MaskChannels.Blood;
    /// <summary>Centre-crop side ratio for validation and non-TTA inference (the code: 0.8).</summary>
    public double ValCenterCrop { get; init; } = 0.8;
    /// <summary>
    /// <c>field</c> (default: the whole slice) or <c>head</c> (one square per scan around the head, so the head's size in
    /// the input does not follow the scanner's field of view); the model folder's backbone <c>framing</c> copies it.
    /// </summary>
    public InputFraming Framing { get; init; } = InputFraming.Field;
    /// <summary>
    /// Read series thinner than this many mm as slabs of it (each slice the mean of the slices wholly inside the band
    /// centred on it, <see cref="Ich.Core.Scans.SlabPlan"/>); null = every slice as it is. The model folder's backbone
    /// <c>slabMm</c> copies it.
    /// </summary>
    public double? SlabMm { get; init; }
    /// <summary>Test-time-augmentation passes for out-of-fold features (1 = centre crop only).</summary>
    public int Tta { get; init; } = 1;
    /// <summary>Which epoch each fold keeps (<c>best-val-loss</c> or <c>last</c>; see <see cref="EpochSelection"/>).</summary>
    public EpochSelection Selection { get; init; } = EpochSelection.BestValidationLoss;
    /// <summary>
    /// Validate after every N-th epoch and always after the last (1 = every epoch). Validation only measures: it does
    /// not change the weights, and with <see cref="EpochSelection.Last"/> nothing but the learning curves reads it, yet a
    /// fold's validation pass costs about half as long as its training epoch. Above 1 needs selection
    /// <c>last</c>, since choosing the best epoch needs every epoch's loss.
    /// </summary>
    public int ValidateEvery { get; init; } = 1;

    /// <summary>
    /// Whether <paramref name="other"/> trains the same networks: every setting equal but <see cref="ValidateEvery"/>, which
    /// only measures. A resumed run may change it (e.g. to stop spending time on validation passes mid-run).
    /// </summary>
    public bool TrainsLike(CnnTrainConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (this with { ValidateEvery = 1 }).ToJson() == (other with { ValidateEvery = 1 }).ToJson();
    }

    /// <summary>Whether the trainer validates after epoch <paramref name="epoch"/> (1-based).</summary>
    public bool ValidatesAfter(int epoch) => epoch % ValidateEvery == 0 || epoch == Epochs;
    /// <summary>Datasets by adapter kind and path (the CLI resolves them; tests pass scans directly).</summary>
    public List<DatasetSpec> Datasets { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
    };

    /// <summary>Reads and validates a config file; any problem is a <see cref="ConfigException"/> naming the file.</summary>
    public static CnnTrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("config file not found", path);
        CnnTrainConfig config;
        try { config = JsonSerializer.Deserialize<CnnTrainConfig>(File.ReadAllText(path), Json) ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new ConfigException($"invalid config JSON: {e.Message}", path); }
        config.Validate(path);
        return config;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Checks every value; throws a <see cref="ConfigException"/> with the first problem.</summary>
    public void Validate(string? path = null)
    {
        void Fail(string message) => throw new ConfigException(message, path);
        if (!Ich.Model.Cnn.CnnFactory.Names.Contains(Backbone))
            Fail($"unknown backbone '{Backbone}' (known: {string.Join(", ", Ich.Model.Cnn.CnnFactory.Names)})");
        if (Init is null) Fail("init must be \"scratch\", \"imagenet\" or the path of a weight file");
        if (Init!.Kind == CnnInitKind.ImageNet && !Ich.Model.Cnn.Onnx.ImageNetResNet18.Backbones.Contains(Backbone))
            Fail($"init 'imagenet' needs backbone {string.Join(" or ", Ich.Model.Cnn.Onnx.ImageNetResNet18.Backbones)} (the ONNX ImageNet ResNet18), not '{Backbone}'");
        if (Init.Kind == CnnInitKind.WeightsFile && !File.Exists(Init.WeightsFile)) Fail($"init weights file '{Init}' not found");
        if (Ich.Model.Cnn.CnnFactory.ImageSizeProblem(Backbone, ImageSize) is { } sizeProblem) Fail(sizeProblem);
        if (BatchSize < 1) Fail($"batchSize {BatchSize} must be ≥ 1");
        if (Epochs < 1) Fail($"epochs {Epochs} must be ≥ 1");
        if (Folds < 2) Fail($"folds {Folds} must be ≥ 2 (k-fold cross-validation by patient)");
        if (TrainFolds is { } trained && (trained < 1 || trained > Folds)) Fail($"trainFolds {trained} must be 1..folds ({Folds})");
        if (AverageWeightsFrom != 0 && !(AverageWeightsFrom > 0 && AverageWeightsFrom < 1))
            Fail($"averageWeightsFrom {AverageWeightsFrom.ToString(System.Globalization.CultureInfo.InvariantCulture)} must be 0 (off) or a fraction of the schedule in (0, 1)");
        if (Lr <= 0 || MinLr < 0 || MinLr > Lr) Fail($"need 0 ≤ minLr ≤ lr and lr > 0 (lr {Lr}, minLr {MinLr})");
        if (WeightDecay < 0) Fail("weightDecay must be ≥ 0");
        if (Schedule is not ("constant" or "cosine" or "warm-restarts")) Fail($"unknown schedule '{Schedule}' (constant, cosine, warm-restarts)");
        if (RestartPeriod < 1 || RestartMult < 1) Fail("restartPeriod and restartMult must be ≥ 1");
        if (ConstantEpochs < 0) Fail("constantEpochs must be ≥ 0");
        if (LossWeights.Length != Ich.Core.HemorrhageClasses.Count || LossWeights.Any(w => w < 0) || LossWeights.Sum() <= 0)
            Fail("lossWeights must be 6 non-negative numbers (any, epidural, intraparenchymal, intraventricular, subarachnoid, subdural)");
        if (SlabMm is { } slab && (slab is < Ich.Core.Scans.SlabPlan.MinSlabMm or > Ich.Core.Scans.SlabPlan.MaxSlabMm || double.IsNaN(slab)))
            Fail($"slabMm must be {Ich.Core.Scans.SlabPlan.MinSlabMm}–{Ich.Core.Scans.SlabPlan.MaxSlabMm} mm (or absent)");
        if (SubtypeGivenBleed is < 0 or > 10 || double.IsNaN(SubtypeGivenBleed)) Fail("subtypeGivenBleed must be in [0, 10]");
        if (Sampling.Kind is not ("uniform" or "positive-oversample" or "study-triangular"))
            Fail($"unknown sampling kind '{Sampling.Kind}' (uniform, positive-oversample, study-triangular)");
        if (Sampling.PositiveWeight <= 0 || Sampling.StudyMultiplier < 1 || Sampling.MaxPerEpoch is < 1)
            Fail("sampling: positiveWeight > 0, studyMultiplier ≥ 1, maxPerEpoch ≥ 1");
        ValidateDatasetShares(path);
        var a = Augment;
        if (a.CropMin <= 0 || a.CropMax > 1 || a.CropMin > a.CropMax) Fail("augment: need 0 < cropMin ≤ cropMax ≤ 1");
        if (new[] { a.AffineP, a.HFlipP, a.ErasingP }.Any(p => p is < 0 or > 1)) Fail("augment: probabilities must be in [0, 1]");
        if (a.ErasingAreaMin <= 0 || a.ErasingAreaMax > 1 || a.ErasingAreaMin > a.ErasingAreaMax) Fail("augment: need 0 < erasingAreaMin ≤ erasingAreaMax ≤ 1");
        var i = a.Intensity;
        if (i.P is < 0 or > 1 || double.IsNaN(i.P)) Fail("augment.intensity.p must be in [0, 1]");
        if (i.Contrast is < 0 or > IntensityAugmenter.MaxContrast || double.IsNaN(i.Contrast))
            Fail($"augment.intensity.contrast must be in [0, {IntensityAugmenter.MaxContrast.ToString(System.Globalization.CultureInfo.InvariantCulture)}] (beyond it the contrast map stops increasing)");
        if (i.OffsetHu is < 0 or > 50 || double.IsNaN(i.OffsetHu)) Fail("augment.intensity.offsetHu must be in [0, 50]");
        if (i.NoiseHu is < 0 or > 50 || double.IsNaN(i.NoiseHu)) Fail("augment.intensity.noiseHu must be in [0, 50]");
        if (i.BlurPx is < 0 or > 3 || double.IsNaN(i.BlurPx)) Fail("augment.intensity.blurPx must be in [0, 3]");
        if (i.GrainPx is < 0 or > 4 || double.IsNaN(i.GrainPx)) Fail("augment.intensity.grainPx must be in [0, 4]");
        if (i.Sharpen is < 0 or > 2 || double.IsNaN(i.Sharpen)) Fail("augment.intensity.sharpen must be in [0, 2]");
        if (i.BrainLiftHu is < 0 or > IntensityAugmenter.MaxLiftHu || double.IsNaN(i.BrainLiftHu))
            Fail($"augment.intensity.brainLiftHu must be in [0, {IntensityAugmenter.MaxLiftHu}]");
        if (InsertBleeds.Probability is < 0 or > 1) Fail("insertBleeds.probability must be in [0, 1]");
        if (InsertBleeds.SubtypeWeights.Length != 5 || InsertBleeds.SubtypeWeights.Any(w => w < 0) || InsertBleeds.SubtypeWeights.Sum() <= 0)
            Fail("insertBleeds.subtypeWeights must be 5 non-negative numbers (epidural, intraparenchymal, intraventricular, subarachnoid, subdural)");
        if (InsertBleeds.AssumedSpacingMm is <= 0 or > 5) Fail("insertBleeds.assumedSpacingMm must be in (0, 5]");
        if (InsertBleeds.PasteShare is < 0 or > 1) Fail("insertBleeds.pasteShare must be in [0, 1]");
        if (InsertBleeds.HostDatasets.Any(string.IsNullOrWhiteSpace) || InsertBleeds.HostDatasets.Distinct(StringComparer.Ordinal).Count() != InsertBleeds.HostDatasets.Count)
            Fail("insertBleeds.hostDatasets must list distinct dataset kinds (phantom, physionet, …)");
        // With the datasets known (ich train all fills them in), a misspelt host is caught before any work.
        if (Datasets.Count > 0 && InsertBleeds.HostDatasets.FirstOrDefault(h => !Datasets.Any(d => d.Kind == h)) is { } unknown)
            Fail($"insertBleeds.hostDatasets: '{unknown}' is not one of the training datasets ({string.Join(", ", Datasets.Select(d => d.Kind).Distinct())})");
        if (MaskLoss < 0 || double.IsNaN(MaskLoss)) Fail("maskLoss must be ≥ 0");
        if (!Enum.IsDefined(MaskChannels)) Fail("maskChannels must be \"blood\" or \"subtypes\"");
        if (MaskChannels == MaskChannels.Subtypes && MaskLoss <= 0) Fail("maskChannels \"subtypes\" needs maskLoss > 0 (no decoder is trained without it)");
        if (ValCenterCrop is <= 0 or > 1) Fail("valCenterCrop must be in (0, 1]");
        if (Tta < 1) Fail("tta must be ≥ 1");
        if (ValidateEvery < 1) Fail("validateEvery must be ≥ 1");
        if (ValidateEvery > 1 && Selection != EpochSelection.Last)
            Fail("validateEvery above 1 needs selection \"last\": choosing the best epoch needs every epoch's validation loss");
        if (!Enum.IsDefined(Framing)) Fail("framing must be \"field\" or \"head\"");
        foreach (var d in Datasets)
            if (string.IsNullOrWhiteSpace(d.Kind) || string.IsNullOrWhiteSpace(d.Path)) Fail("every dataset needs a kind and a path");
    }

    private void ValidateDatasetShares(string? path)
    {
        void Fail(string message) => throw new ConfigException(message, path);
        var shares = Sampling.DatasetShares;
        if (shares.Count == 0) return;
        if (Sampling.Kind != "positive-oversample")
            Fail($"sampling.datasetShares needs sampling.kind \"positive-oversample\" (it is \"{Sampling.Kind}\")");
        if (shares.FirstOrDefault(kv => string.IsNullOrWhiteSpace(kv.Key) || !(kv.Value > 0 && kv.Value <= 1)) is { Key: not null } bad)
            Fail($"sampling.datasetShares: '{bad.Key}' needs a share in (0, 1], not {bad.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var sum = shares.Values.Sum();
        if (sum > 1 + 1e-9) Fail($"sampling.datasetShares add up to {sum.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}, more than 1");
        // With the datasets known (ich train all fills them in), the shares are checked against them before any work.
        if (Datasets.Count > 0)
            DatasetSharePlan.Check(shares, Datasets.Select(d => d.Kind).ToHashSet(StringComparer.Ordinal), "the training datasets", path);
    }
}
